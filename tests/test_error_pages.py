"""Errors that are seen: Chinese 400/403/404/429/500 pages with the request id, and every 500
logged with its stack trace and the same id (as text, or as JSON lines)."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from django.template import loader
from django.test import Client, RequestFactory, override_settings
from django.urls import include, path

from clusterdesk import urls as project_urls
from clusterdesk.conf import ConfigError
from clusterdesk.web import errors
from clusterdesk.web.logs import JsonFormatter, RequestIdFilter, logging_from_env
from clusterdesk.web.middleware import HEADER
from tests.declarations.county_world import make_world

pytestmark = pytest.mark.django_db

REQUEST_ID = re.compile(r"[0-9a-f]{32}")


def boom(request):
    raise RuntimeError("the database is on fire")


# This module is also a URL configuration: the project's URLs, their error handlers, and one
# view that fails, as any view might.
urlpatterns = [path("boom/", boom), path("", include(project_urls))]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@pytest.fixture
def failing_site():
    with override_settings(ROOT_URLCONF=__name__):
        yield Client(raise_request_exception=False)


@pytest.fixture
def console():
    """What the console handler of the settings' LOGGING writes, while the test runs."""
    handlers = logging.getLogger().handlers
    handler = next(h for h in handlers if any(isinstance(f, RequestIdFilter) for f in h.filters))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield handler, stream
    finally:
        handler.setStream(previous)


# --- request ids ---------------------------------------------------------------------------------


def test_every_answer_carries_a_request_id(client):
    first, second = client.get("/"), client.get("/no-such-page/")

    assert REQUEST_ID.fullmatch(first[HEADER])
    assert REQUEST_ID.fullmatch(second[HEADER])
    assert first[HEADER] != second[HEADER]


def test_a_proxys_request_id_is_kept_and_a_strange_one_replaced(client):
    sane = "req-2f1c9a7e-4b8d"
    assert client.get("/", headers={"X-Request-ID": sane})[HEADER] == sane
    for strange in ("x" * 200, "short", 'a"b c\\d<script>', "../../etc"):
        answer = client.get("/", headers={"X-Request-ID": strange})[HEADER]
        assert REQUEST_ID.fullmatch(answer), strange


# --- 500 ---------------------------------------------------------------------------------------


def test_a_500_is_a_chinese_page_with_the_request_id(failing_site, console):
    response = failing_site.get("/boom/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "服务器内部错误" in page
    assert response[HEADER] in page
    assert "database is on fire" not in page  # no internals for the visitor


def test_a_500_is_logged_with_its_stack_trace_and_request_id(failing_site, console):
    _, stream = console

    response = failing_site.get("/boom/")

    log = stream.getvalue()
    assert f"ERROR [{response[HEADER]}] django.request: Internal Server Error: /boom/" in log
    assert "Traceback (most recent call last)" in log
    assert 'raise RuntimeError("the database is on fire")' in log


def test_json_log_lines(failing_site, console):
    handler, stream = console
    text_formatter = handler.formatter
    handler.setFormatter(JsonFormatter())
    try:
        response = failing_site.get("/boom/")
    finally:
        handler.setFormatter(text_formatter)

    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    error = next(r for r in records if r["logger"] == "django.request")
    assert error["level"] == "ERROR"
    assert error["request_id"] == response[HEADER]
    assert error["status"] == 500
    assert "RuntimeError: the database is on fire" in error["exception"]


def test_log_settings_from_the_environment():
    def formatter(environ):
        return logging_from_env(environ)["handlers"]["console"]["formatter"]

    assert formatter({}) == "text"
    assert formatter({"CLUSTERDESK_LOG_FORMAT": "JSON"}) == "json"
    assert logging_from_env({"CLUSTERDESK_LOG_LEVEL": "warning"})["root"]["level"] == "WARNING"
    with pytest.raises(ConfigError, match="CLUSTERDESK_LOG_FORMAT"):
        logging_from_env({"CLUSTERDESK_LOG_FORMAT": "xml"})
    with pytest.raises(ConfigError, match="CLUSTERDESK_LOG_LEVEL"):
        logging_from_env({"CLUSTERDESK_LOG_LEVEL": "loud"})


def test_the_500_page_needs_neither_the_database_nor_context_processors(
    django_assert_num_queries, settings
):
    engine = settings.TEMPLATES[0]
    options = {**engine["OPTIONS"], "context_processors": ["no.such.processor"]}
    settings.TEMPLATES = [{**engine, "OPTIONS": options}]
    request = RequestFactory().get("/")
    request.request_id = "req-123456789"

    with django_assert_num_queries(0):
        response = errors.server_error(request)

    assert response.status_code == 500
    assert "req-123456789" in response.content.decode()


def test_a_500_page_that_cannot_render_still_answers_in_chinese(monkeypatch):
    def broken(name):
        raise RuntimeError("templates are gone")

    monkeypatch.setattr(loader, "get_template", broken)
    request = RequestFactory().get("/")
    request.request_id = "req-123456789"

    response = errors.server_error(request)

    assert response.status_code == 500
    assert "服务器内部错误" in response.content.decode()
    assert "req-123456789" in response.content.decode()


# --- 400, 403, 404, 429 and the CSRF refusal ---------------------------------------------------


def test_404_is_chinese_with_the_request_id(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    assert response[HEADER] in response.content.decode()


def test_a_404_is_logged_with_its_request_id(client, console):
    _, stream = console

    response = client.get("/no-such-page/")

    assert (
        f"WARNING [{response[HEADER]}] django.request: Not Found: /no-such-page/"
        in stream.getvalue()
    )


def test_403_says_why_in_chinese_with_the_request_id(client):
    client.force_login(make_world().own)

    response = client.get("/rounds/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "只有市经信局可以管理申报轮次" in page
    assert response[HEADER] in page


def test_a_foreign_host_is_a_chinese_400(client):
    response = client.get("/", headers={"Host": "evil.example"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "请求无效" in page
    assert "evil.example" not in page  # Django's English explanation is not shown
    assert response[HEADER] in page


def test_the_csrf_refusal_is_chinese_with_the_request_id():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "a", "password": "b"})

    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
    assert response[HEADER] in response.content.decode()


def test_the_429_page_for_throttled_requests():
    request = RequestFactory().get("/accounts/login/")
    request.request_id = "req-429-0001"

    page = loader.render_to_string(
        "429.html", {"message": "登录尝试过多，请5分钟后再试。"}, request
    )

    assert "请求过于频繁" in page
    assert "登录尝试过多，请5分钟后再试。" in page
    assert "req-429-0001" in page


@pytest.mark.django_db
def test_a_wrong_method_is_a_chinese_405_that_keeps_allow(client):
    response = client.get("/accounts/logout/")  # logging out is POST only
    page = response.content.decode()
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    assert "不支持的操作" in page
    assert "只接受 POST" in page
    assert response[HEADER] in page  # the request id
