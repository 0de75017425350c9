"""The charts' files (vendored ECharts, charts.js, charts.css) are served like every static file,
with debug off, from our own origin (no CDN); the vendored copy is the one VERSION names."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from django.templatetags.static import static
from django.test import Client

VENDORED = Path(__file__).resolve().parents[2] / "src/clusterdesk/portal/static/vendor/echarts"


@pytest.mark.django_db
def test_chart_files_are_served_with_debug_off(settings):
    assert settings.DEBUG is False
    client = Client()  # a fresh handler: the static file middleware reads the files at start
    for name in ("vendor/echarts/echarts.min.js", "portal/charts.js", "portal/charts.css"):
        response = client.get(static(name))
        assert response.status_code == 200, name
        b"".join(response.streaming_content)


def test_vendored_echarts_is_the_version_recorded():
    record = (VENDORED / "VERSION").read_text()
    version = re.match(r"echarts (\S+)", record).group(1)
    code = (VENDORED / "echarts.min.js").read_bytes()
    assert f'version="{version}"'.encode() in code
    assert hashlib.sha256(code).hexdigest() in record
    assert "Apache License" in (VENDORED / "LICENSE").read_text()
    assert (VENDORED / "NOTICE").read_text().startswith("Apache ECharts")
