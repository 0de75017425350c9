"""CLUSTERDESK_EMAIL_URL: files under var/mail by default, SMTP by configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from clusterdesk.conf import ConfigError, email_from_env

VAR = Path("/srv/clusterdesk/var")


def test_default_writes_files_under_var_mail():
    config = email_from_env({}, VAR)
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert config["EMAIL_FILE_PATH"] == "/srv/clusterdesk/var/mail"


def test_smtp_with_starttls_and_credentials():
    config = email_from_env(
        {"CLUSTERDESK_EMAIL_URL": "smtp+tls://notice%40nb.gov.cn:p%40ss@mail.nb.gov.cn"}, VAR
    )
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"]) == ("mail.nb.gov.cn", 587)
    assert (config["EMAIL_HOST_USER"], config["EMAIL_HOST_PASSWORD"]) == (
        "notice@nb.gov.cn",
        "p@ss",
    )
    assert (config["EMAIL_USE_TLS"], config["EMAIL_USE_SSL"]) == (True, False)


def test_smtps_and_an_explicit_port():
    config = email_from_env({"CLUSTERDESK_EMAIL_URL": "smtps://mail.example:2465"}, VAR)
    assert (config["EMAIL_PORT"], config["EMAIL_USE_SSL"], config["EMAIL_USE_TLS"]) == (
        2465,
        True,
        False,
    )


def test_console_and_other_files():
    assert email_from_env({"CLUSTERDESK_EMAIL_URL": "console://"}, VAR)["EMAIL_BACKEND"].endswith(
        "console.EmailBackend"
    )
    config = email_from_env({"CLUSTERDESK_EMAIL_URL": "file:///var/spool/cd-mail"}, VAR)
    assert config["EMAIL_FILE_PATH"] == "/var/spool/cd-mail"


@pytest.mark.parametrize("url", ["mail.example:25", "smtp://", "smtp://host:port", "file://rel"])
def test_a_bad_url_is_refused_in_chinese(url):
    with pytest.raises(ConfigError, match="CLUSTERDESK_EMAIL_URL"):
        email_from_env({"CLUSTERDESK_EMAIL_URL": url}, VAR)
