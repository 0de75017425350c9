import pytest

from clusterdesk.shared.blobstore import LocalBlobStore
from tests import factories


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Evidence goes to a fresh directory in every test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def store(media_root):
    return LocalBlobStore(media_root / "evidence")


@pytest.fixture
def application():
    """A blank draft (no form data yet) of a county officer."""
    return factories.make_application(data={})


@pytest.fixture
def officer(client, application):
    """That draft's officer, signed in on ``client``."""
    client.force_login(application.created_by)
    return application.created_by
