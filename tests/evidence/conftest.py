import pytest

from clusterdesk.shared.blobstore import LocalBlobStore


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Evidence goes to a fresh directory in every test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def store(media_root):
    return LocalBlobStore(media_root / "evidence")
