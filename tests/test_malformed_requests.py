"""Malformed requests answer 4xx with a Chinese message, never a 500.

Every URL of the access matrix gets ids that are not numbers (or are absurdly large, or are
digits that ``int()`` refuses, such as "²") in its path, query string and form fields; the
autosave door gets JSON that is nested thousands deep, not an object, not UTF-8, or holds numbers
Python's ``int`` cannot read; the evidence upload and the Word import get 1,000-character file
names; and every URL gets absurd headers. Before these fixes 85 such requests answered 500.
"""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests import test_access_matrix as matrix
from tests.evidence import samples

pytestmark = pytest.mark.django_db

# The access matrix's world: two counties, an application each with evidence on file, a closed
# round, and a filled Attachment 2 for the Word import.
world = matrix.world
docx = matrix.docx

CHINESE = re.compile(r"[\u4e00-\u9fff]")
HUGE = 99_999_999_999_999_999_999  # beyond any 64-bit id
BAD_VALUES = ["abc", "²", str(HUGE), "", "\x00" + "x" * 2000]
# Every field and query parameter a view of ours reads.
FIELDS = [
    "round", "target", "seen", "path", "sha256", "next", "inline", "pdf", "department",
    "contact", "mobile", "name", "first_data_year", "last_data_year", "reference_date",
    "submission_deadline", "county_limit", "form_version", "criteria_profile", "username",
    "password", "old_password", "new_password1", "new_password2",
]  # fmt: skip
ROLES = ("own", "city")  # between them, every view of ours answers something other than 403


def assert_handled(response, where: str) -> None:
    """Below 500, and a refusal says why in Chinese (405 is Django's bare method refusal)."""
    assert response.status_code < 500, f"{where}: {response.status_code}"
    if response.status_code >= 400 and response.status_code != 405:
        text = response.content.decode("utf-8", errors="replace")
        if response.get("Content-Type", "").startswith("application/json"):
            text = json.dumps(json.loads(text), ensure_ascii=False)
        assert CHINESE.search(text), f"{where}: {response.status_code} without a Chinese message"


def signed_in(world, role: str) -> Client:
    client = Client()
    client.force_login(getattr(world.county, role))
    return client


# --- every URL, with ids and fields that are not what the page sends ---------------------------


@pytest.mark.parametrize("name", list(matrix.ACCESS))
def test_malformed_ids_and_fields(world, name):
    entry = matrix.ACCESS[name]
    kwargs = entry.kwargs(world)
    url = reverse(name, kwargs=kwargs)
    for role in ROLES:
        client = signed_in(world, role)
        if kwargs:  # every numeric id in the path far beyond any row
            huge = {key: HUGE if isinstance(value, int) else value for key, value in kwargs.items()}
            huge_url = reverse(name, kwargs=huge)
            assert_handled(client.get(huge_url), f"{role} GET {huge_url}")
            if entry.post is not None:
                response = client.post(huge_url, **entry.body(world))
                assert_handled(response, f"{role} POST {huge_url}")
        for value in BAD_VALUES:
            send_malformed(client, entry, world, url, value, where=f"{role} {url}")


def send_malformed(client, entry, world, url: str, value: str, *, where: str) -> None:
    query = dict.fromkeys(FIELDS, value)
    assert_handled(client.get(url, query), f"GET {where} ({value[:10]!r})")
    if entry.post is None:
        return
    assert_handled(client.post(url, query), f"POST {where} ({value[:10]!r})")
    body = entry.body(world)
    data = body.get("data")
    for key in data if isinstance(data, dict) else ():
        response = client.post(url, {**data, key: value}, headers=body.get("headers"))
        assert_handled(response, f"POST {where} {key}={value[:10]!r}")


WRONG_BODIES = [
    ("multipart/form-data", b"garbage"),  # no boundary
    ("multipart/form-data; boundary=xyz", b"--xyz\r\ngarbage"),
    ("application/x-www-form-urlencoded", b"round=\xff&target=%ff%fe&next=\xff"),
    ("application/json", b"\xff\xfe"),
]
POST_URLS = [name for name, entry in matrix.ACCESS.items() if entry.post is not None]


@pytest.mark.parametrize("role", ROLES)
def test_bodies_of_the_wrong_kind(world, role):
    client = signed_in(world, role)
    for name in POST_URLS:
        url = reverse(name, kwargs=matrix.ACCESS[name].kwargs(world))
        for content_type, body in WRONG_BODIES:
            response = client.generic("POST", url, body, content_type=content_type)
            assert_handled(response, f"{role} POST {url} as {content_type}")


ABSURD_HEADERS = [
    {"X-Request-ID": "x" * 5000},
    {"Accept-Language": "zh;q=abc," * 500},
    {"Cookie": "sessionid=" + "x" * 5000},
    {"If-None-Match": "x" * 5000},
    {"If-Modified-Since": "garbage"},
    {"Range": "bytes=999999999999999999999-1"},
    {"X-Evidence-Widget": "1"},
]


def test_absurd_headers(world):
    client = signed_in(world, "own")
    for name, entry in matrix.ACCESS.items():
        url = reverse(name, kwargs=entry.kwargs(world))
        for headers in ABSURD_HEADERS:
            assert_handled(client.get(url, headers=headers), f"GET {url} with {list(headers)}")


# --- the autosave door ---------------------------------------------------------------------------


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def change(value_json: str, path: str = "part1.operator") -> bytes:
    return f'{{"changes": [{{"path": "{path}", "value": {value_json}}}]}}'.encode()


AUTOSAVE_BODIES = {
    "100,000 nested lists": nested(100_000).encode(),
    "100,000 nested objects": ('{"a":' * 100_000 + "1" + "}" * 100_000).encode(),
    "a value nested 900 deep": change(nested(900)),
    "a value nested 5,000 deep": change(nested(5000)),
    "a 5,000-digit number": change("1" * 5000),
    "NaN": change("NaN"),
    "1e999": change("1e999"),
    "a list": b"[]",
    "a number": b"1",
    "a string": b'"changes"',
    "null": b"null",
    "not UTF-8": b'{"changes": [{"path": "part1.operator", "value": "\xff\xfe"}]}',
    "truncated": b'{"changes": [',
    "changes not a list": b'{"changes": {"path": "part1.operator"}}',
    "a change not an object": b'{"changes": [1]}',
    "a path not a string": b'{"changes": [{"path": ["part1"], "value": "x"}]}',
}


@pytest.mark.parametrize("body", AUTOSAVE_BODIES.values(), ids=AUTOSAVE_BODIES.keys())
def test_autosave_refuses_what_the_page_never_sends(world, body):
    client = signed_in(world, "own")
    url = reverse("form:autosave", kwargs={"pk": world.own.pk})
    version = world.own.version

    response = client.generic("POST", url, body, content_type="application/json")

    assert response.status_code == 400, response.content
    assert CHINESE.search(response.json()["error"])
    world.own.refresh_from_db()
    assert world.own.version == version  # nothing was saved


def test_autosave_still_takes_a_list_of_rows(world):
    """The depth limit leaves room for what the page does send: a 清单 as rows of objects."""
    client = signed_in(world, "own")
    url = reverse("form:autosave", kwargs={"pk": world.own.pk})
    rows = [{"name": "宁波某标准", "number": "T/NB 001-2023"}]
    body = json.dumps({"changes": [{"path": "part1.operator", "value": rows, "original": None}]})

    response = client.post(url, body, content_type="application/json")

    assert response.status_code == 200, response.content


# --- file names ----------------------------------------------------------------------------------

LONG_NAMES = ["甲" * 1000 + ".pdf", "a" * 1000 + ".pdf", "\x00.pdf", "../../etc/passwd.pdf", ".pdf"]


def multipart(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, str]:
    """A multipart body written by hand: the test client would refuse some of these names."""
    boundary = "clusterdesk-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
        for key, value in fields.items()
    ]
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    )
    body = "".join(parts).encode() + head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize(
    "filename", LONG_NAMES, ids=["1000 CJK", "1000 ASCII", "NUL", "../", "ext"]
)
def test_long_and_odd_file_names(world, filename):
    client = signed_in(world, "own")
    upload = reverse("evidence:upload", kwargs={"application_id": world.own.pk})
    for headers in ({"X-Evidence-Widget": "1"}, {}):
        body, kind = multipart({"path": matrix.EVIDENCE_PATH}, filename, samples.PDF)
        response = client.generic("POST", upload, body, content_type=kind, headers=headers)
        assert_handled(response, f"evidence upload {filename[:10]!r} {headers}")
    word_name = filename.removesuffix(".pdf") + ".docx"
    for url, fields in (
        (reverse("county:import"), {"target": f"new-{world.county.round.pk}"}),
        (reverse("county:import_into", kwargs={"pk": world.own.pk}), {}),
    ):
        body, kind = multipart(fields, word_name, world.docx)
        assert_handled(
            client.generic("POST", url, body, content_type=kind), f"{url} {filename[:10]!r}"
        )


# --- the regressions, one by one -----------------------------------------------------------------


def test_a_round_that_is_not_a_number_is_a_400_page_in_chinese(world):
    response = signed_in(world, "own").post(reverse("county:new"), {"round": "abc"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "请选择要新建申报的申报轮次" in page
    assert response["X-Request-ID"] in page  # the page names the request for the administrator


@pytest.mark.parametrize("target", ["²", "new-²", "１２", "9" * 30])
def test_import_targets_that_int_refuses(world, target):
    client = signed_in(world, "own")
    file = matrix._file("申报表.docx", world.docx)

    response = client.post(reverse("county:import"), {"target": target, "file": file})

    assert response.status_code == 400
    assert "请选择" in response.content.decode() or "不存在" in response.content.decode()


def test_a_data_year_beyond_reason_is_a_field_error(world):
    client = signed_in(world, "city")
    data = matrix.valid_post(last_data_year=str(HUGE))

    response = client.post(reverse("rounds:create"), data)

    assert response.status_code == 200
    assert "数据年度应在2000—2100年之间" in response.content.decode()


def test_a_next_that_is_not_a_path_goes_back_to_the_evidence_list(world):
    client = signed_in(world, "own")
    url = reverse("evidence:remove", kwargs={"application_id": world.own.pk})

    response = client.post(url, {"path": matrix.EVIDENCE_PATH, "sha256": "0" * 64, "next": "abc"})

    assert response.status_code == 302
    assert response.url == reverse("evidence:list", args=[world.own.pk])
