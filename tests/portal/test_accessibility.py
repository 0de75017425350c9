"""Keyboards, screen readers and Chinese everywhere, as the server renders the pages (issue 9,
item 8). The browser side (375 px, axe-core, the live links) is tests/browser/test_accessibility.py.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from clusterdesk.accounts.views import SIGNED_IN_COOKIE
from clusterdesk.declarations.domain.forms import PAGES
from clusterdesk.form.example import example_json
from tests.factories import PASSWORD, make_application, make_county_officer

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "src/clusterdesk/templates"
ENGLISH = re.compile(r"[A-Za-z]{3,}")  # a word of English in a message meant for officers


class Elements(HTMLParser):
    """Every start tag with its attributes, in document order."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def ids(self) -> list[str]:
        return [attrs["id"] for _, attrs in self.tags if "id" in attrs]


def parse(response) -> Elements:
    assert response.status_code == 200
    return Elements(response.content.decode())


# --- every page: skip link, landmark, menu button ---------------------------------------------


def test_the_first_thing_a_keyboard_reaches_is_the_skip_link_to_the_content(client):
    page = parse(client.get("/accounts/login/"))
    focusable = [(tag, a) for tag, a in page.tags if tag in {"a", "button", "input"}]
    tag, attrs = focusable[0]
    assert (tag, attrs.get("class"), attrs.get("href")) == ("a", "skip-link", "#main")
    main = [a for tag, a in page.tags if tag == "main"]
    assert main == [{"id": "main", "tabindex": "-1"}]
    assert "跳到正文" in client.get("/accounts/login/").content.decode()


def test_the_header_menu_button_says_whether_it_is_open(client):
    client.force_login(make_county_officer())
    page = parse(client.get("/county/"))
    (button,) = [
        a for tag, a in page.tags if tag == "button" and "menu-toggle" in a.get("class", "")
    ]
    assert button["aria-expanded"] == "false"
    assert button["aria-controls"] in page.ids()
    scripts = [a["src"] for tag, a in page.tags if tag == "script"]
    assert "/static/portal/menu.js" in scripts


def test_axe_core_is_in_the_static_files_but_no_page_loads_it(client):
    vendored = Path(__file__).resolve().parents[2] / "src/clusterdesk/portal/static/vendor/axe-core"
    assert (vendored / "LICENSE").read_text().startswith("Mozilla Public License")
    assert "axe v" in (vendored / "axe.min.js").read_text()[:40]
    assert [p for p in TEMPLATES.rglob("*.html") if "axe" in p.read_text()] == []


# --- the form: labels bound, findings linked ---------------------------------------------------


@pytest.fixture
def officer():
    return make_county_officer()


def form_pages(client, application):
    for key, _ in PAGES:
        yield key, parse(client.get(f"/applications/{application.pk}/form/{key}/"))


def test_every_visible_label_is_bound_and_every_reference_exists(client, officer):
    application = make_application(officer=officer)
    client.force_login(officer)
    for key, page in form_pages(client, application):
        ids = page.ids()
        assert len(ids) == len(set(ids)), (key, sorted({i for i in ids if ids.count(i) > 1}))
        known = set(ids)
        labels = [a for tag, a in page.tags if tag == "label" and "for" in a]
        boxes = [a for _, a in page.tags if "data-kind" in a]
        for label in labels:
            assert label["for"] in known, (key, label)
        for box in boxes:
            names = [n for n in ("aria-label", "aria-labelledby") if box.get(n)]
            assert names or box.get("type") == "radio", (key, box)  # a radio: in its <label>
            for name in ("aria-labelledby", "aria-describedby"):
                missing = [i for i in box.get(name, "").split() if i not in known]
                assert not missing, (key, name, missing)

    # A single box beside its label is reached by clicking the label (<label for>).
    html = client.get(f"/applications/{application.pk}/form/part1/").content.decode()
    assert re.search(
        r'<label class="label" id="[^"]+" for="box-part1.cluster_name">集群名称<', html
    )
    assert 'id="box-part1.cluster_name"' in html


def test_a_year_cell_is_named_by_its_row_label_and_its_year_column(client, officer):
    application = make_application(officer=officer)
    client.force_login(officer)
    page = Elements(client.get(f"/applications/{application.pk}/form/part2/").content.decode())
    (cell,) = [a for _, a in page.tags if a.get("data-path") == "part2.total_output.2021"]
    row_label, column = cell["aria-labelledby"].split()
    html = client.get(f"/applications/{application.pk}/form/part2/").content.decode()
    assert re.search(rf'id="{re.escape(row_label)}"[^>]*>集群总产值（亿元）<', html)
    assert re.search(rf'id="{re.escape(column)}"[^>]*>2021年<', html)


def test_a_wrong_value_is_invalid_and_points_at_its_message(client, officer):
    data = example_json()
    data["part2"]["total_output"]["2021"] = "108.605"  # 保留小数点后2位
    data["part2"]["enterprises"]["2021"] = None  # empty: a to-do, described but not invalid
    application = make_application(officer=officer, data=data)
    client.force_login(officer)
    html = client.get(f"/applications/{application.pk}/form/part2/").content.decode()
    page = Elements(html)
    boxes = {a["data-path"]: a for _, a in page.tags if "data-kind" in a and "data-path" in a}

    wrong = boxes["part2.total_output.2021"]
    assert wrong["aria-invalid"] == "true"
    (message_id,) = wrong["aria-describedby"].split()
    message = re.search(rf'<li [^>]*id="{re.escape(message_id)}"[^>]*>([^<]*)</li>', html)
    assert "保留小数点后2位" in message.group(1)

    empty = boxes["part2.enterprises.2021"]
    assert "aria-invalid" not in empty
    assert empty["aria-describedby"]
    right = boxes["part2.total_output.2020"]
    assert "aria-invalid" not in right
    assert "aria-describedby" not in right


# --- Chinese: passwords, the 500 page, an expired login -----------------------------------------


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Nb-12", "密码太短，至少需要 8 个字符。"),
        ("20230414", "密码只包含数字。"),
        ("password", "这个密码太常见了。"),
        ("haishu-2023", "密码跟 用户名 太相似了。"),
    ],
)
def test_every_password_rule_refuses_in_chinese(client, password, expected):
    officer = make_county_officer(username="haishu")
    with pytest.raises(ValidationError) as refused:
        validate_password(password, officer)
    assert expected in refused.value.messages
    assert not [m for m in refused.value.messages if ENGLISH.search(m)]

    # And as the officer sees it on the password change page.
    client.force_login(officer)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_the_password_rules_are_explained_in_chinese():
    texts = password_validators_help_texts()
    assert len(texts) == 4
    assert not [t for t in texts if ENGLISH.search(t)]
    assert "密码至少需要 8 个字符。" in texts


def test_the_500_page_is_chinese_and_has_a_skip_link():
    page = (TEMPLATES / "500.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page
    assert '<a class="skip-link" href="#main">跳到正文</a>' in page
    visible = re.sub(r"{[%#].*?[%#]}|<[^>]+>", " ", page, flags=re.S)
    assert not ENGLISH.search(visible), ENGLISH.findall(visible)


def _log_in(client: Client, officer) -> None:
    response = client.post("/accounts/login/", {"username": officer.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.cookies[SIGNED_IN_COOKIE].value == "1"


def test_after_an_idle_sign_out_the_login_page_says_why(client, officer):
    application = make_application(officer=officer)
    _log_in(client, officer)
    Session.objects.update(expire_date=timezone.now() - timedelta(minutes=1))

    # The form's autosave says so in its status line (autosave-queue.js) …
    saved = client.post(
        f"/applications/{application.pk}/autosave/", "{}", content_type="application/json"
    )
    assert saved.status_code == 401
    assert saved.json()["error"] == "登录已过期，请在新窗口重新登录后自动保存"
    # … and a page opened afterwards leads to a login page that explains.
    response = client.get("/county/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")
    assert "登录已过期：为保护账户安全，超过 120 分钟未操作会自动退出登录" in page
    assert "已自动保存的填写内容不会丢失" in page


def test_no_expiry_note_for_a_first_visit_or_after_signing_out(client, officer):
    assert "登录已过期" not in client.get("/accounts/login/").content.decode()
    _log_in(client, officer)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.cookies[SIGNED_IN_COOKIE].value == ""  # deleted
    assert "登录已过期" not in client.get("/accounts/login/").content.decode()


def test_a_wrong_password_after_expiry_says_only_that(client, officer):
    client.cookies[SIGNED_IN_COOKIE] = "1"
    response = client.post("/accounts/login/", {"username": officer.username, "password": "x"})
    page = response.content.decode()
    assert "用户名或密码不正确" in page
    assert "登录已过期" not in page
