import pytest

from tests.roundexport.world import decided_round


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return decided_round()
