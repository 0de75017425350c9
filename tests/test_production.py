"""The production configuration: secure defaults, a clean deploy check, the Content-Security-Policy,
static files with debug off, and the idle session timeout."""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.templatetags.static import static
from django.test import Client, override_settings
from django.utils import timezone

from clusterdesk.evidence import views as evidence_views
from clusterdesk.evidence.domain.uploads import upload_evidence
from clusterdesk.web import middleware
from tests.declarations.county_world import make_world
from tests.evidence import samples

REPO_DIR = Path(__file__).resolve().parents[1]
TEMPLATE_DIRS = sorted((REPO_DIR / "src" / "clusterdesk").glob("**/templates"))

# --- the settings a production start gets ------------------------------------------------------


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a production start: a real secret key, debug off, a host name."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CLUSTERDESK_") and key != "DJANGO_SETTINGS_MODULE"
    }
    env |= {
        "CLUSTERDESK_SECRET_KEY": secrets.token_urlsafe(50),
        "CLUSTERDESK_DEBUG": "0",
        "CLUSTERDESK_ALLOWED_HOSTS": "clusterdesk.example.cn",
        "CLUSTERDESK_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "clusterdesk.settings",
    }
    return env | extra


def settings_of(env: dict[str, str]) -> dict:
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k, None) for k in ("
        "'DEBUG', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SESSION_COOKIE_AGE', "
        "'SECURE_PROXY_SSL_HEADER')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=REPO_DIR, capture_output=True, text=True,
        timeout=120, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)


def test_manage_py_check_deploy_is_clean_in_production(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path), cwd=REPO_DIR, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_defaults_are_secure(tmp_path):
    values = settings_of(production_env(tmp_path))

    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_AGE"] == 2 * 3600  # signed out after 2 idle hours
    assert values["SECURE_PROXY_SSL_HEADER"] is None  # no header is trusted unless configured


@pytest.mark.parametrize("switch", [{"CLUSTERDESK_DEBUG": "1"}, {"CLUSTERDESK_HTTPS": "0"}])
def test_plain_http_runs_must_say_so(tmp_path, switch):
    """`make run` (debug) and an explicit CLUSTERDESK_HTTPS=0 serve plain http on 127.0.0.1."""
    values = settings_of(production_env(tmp_path, **switch))

    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0


def test_settings_from_the_environment(tmp_path):
    env = production_env(
        tmp_path,
        CLUSTERDESK_SESSION_IDLE_MINUTES="30",
        CLUSTERDESK_HSTS_SECONDS="600",
        CLUSTERDESK_PROXY_HTTPS_HEADER="X-Forwarded-Proto",
    )

    values = settings_of(env)

    assert values["SESSION_COOKIE_AGE"] == 30 * 60
    assert values["SECURE_HSTS_SECONDS"] == 600
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_http_is_redirected_to_https_and_https_gets_hsts(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response.url == "https://testserver/accounts/login/"

    secure = client.get("/accounts/login/", secure=True)
    assert secure.status_code == 200
    assert "max-age=31536000" in secure["Strict-Transport-Security"]
    assert "includeSubDomains" in secure["Strict-Transport-Security"]


# --- Content-Security-Policy ---------------------------------------------------------------------


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.mark.django_db
def test_every_page_has_a_policy_without_inline_scripts_or_styles(client):
    world = make_world()
    client.force_login(world.own)
    pk = world.application.pk
    pages = ["/", "/county/", f"/applications/{pk}/form/part2/", f"/evidence/{pk}/",
             f"/county/applications/{pk}/check/", "/accounts/password/"]  # fmt: skip
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"], url
        assert policy["frame-ancestors"] == ["'none'"], url
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], url
    client.logout()
    assert directives(client.get("/accounts/login/"))["default-src"] == ["'self'"]


@pytest.mark.django_db
def test_evidence_downloads_keep_their_own_stricter_policy(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = make_world()
    pdf = SimpleUploadedFile("产业链图谱.pdf", samples.PDF, content_type="application/pdf")
    upload_evidence(world.application, "part2.chain_map", [pdf], world.own)
    client.force_login(world.own)
    sha256 = hashlib.sha256(samples.PDF).hexdigest()

    response = client.get(f"/evidence/{world.application.pk}/{sha256}/")

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == evidence_views.DOWNLOAD_CSP


INLINE = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "on…= handler": re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE),
    "style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE),
    "<style> block": re.compile(r"<style[\s>]", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


# Pages served with a stricter policy of their own (the evidence views set it; sandboxed).
OWN_POLICY = {"evidence/preview.html"}


def test_no_template_needs_unsafe_inline():
    """What the policy would block: inline scripts, handlers and styles in our templates."""
    found = []
    assert TEMPLATE_DIRS
    for directory in TEMPLATE_DIRS:
        for path in directory.glob("**/*.html"):
            if path.relative_to(directory).as_posix() in OWN_POLICY:
                continue
            text = path.read_text(encoding="utf-8")
            found += [f"{path.relative_to(REPO_DIR)}: {kind}" for kind, pattern in INLINE.items()
                      if pattern.search(text)]  # fmt: skip
    assert not found, found


# --- static files with debug off -----------------------------------------------------------------


@pytest.mark.django_db
def test_static_files_are_served_with_debug_off(settings):
    assert settings.DEBUG is False  # as pytest-django runs the tests, and as production runs
    client = Client()  # a fresh handler: the static file middleware reads the files at start

    response = client.get(static("clusterdesk/autosave.js"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith(("text/javascript", "application/javascript"))
    body = b"".join(response.streaming_content)
    assert b"autosave" in body
    assert client.get(static("portal/site.css")).status_code == 200
    assert client.get(static("admin/css/base.css")).status_code == 200


# --- idle sessions -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_active_session_is_renewed_and_an_idle_one_ends(client, monkeypatch):
    world = make_world()
    client.force_login(world.own)
    assert client.get("/county/").status_code == 200
    key = client.cookies["sessionid"].value

    # Within a minute of the last renewal nothing is written: no cookie, no session save.
    assert "sessionid" not in client.get("/county/").cookies

    # 1 h 59 min later, a request renews the session for another 2 hours.
    session = Session.objects.get(session_key=key)
    session.expire_date = timezone.now() + timedelta(minutes=1)
    session.save()
    later = time.time() + 7140
    monkeypatch.setattr(middleware.IdleSessionMiddleware, "clock", staticmethod(lambda: later))
    response = client.get("/county/")
    assert response.status_code == 200
    assert int(response.cookies["sessionid"]["max-age"]) == 7200
    renewed = Session.objects.get(session_key=key).expire_date - timezone.now()
    assert renewed > timedelta(hours=1, minutes=59)

    # Two hours without a request: the session is gone and the login page asks again.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))
    response = client.get("/county/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
