import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    # The demo uploads its evidence files: into the test's own directory, never var/media.
    settings.MEDIA_ROOT = tmp_path / "media"
