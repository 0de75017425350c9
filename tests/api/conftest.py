import pytest

from tests.api.world import make_api_world


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return make_api_world()
