"""Pages that cost what they should (issue 9, item 11), checked by counting, not timing.

- An application is validated at most once per request, and unchanged data never again.
- Autosave walks again only the part it changed, and answers what a full validation finds.
- Part 三 with the example's 386 patents stays under 150 KB, editable or read-only.
- The county pages and the city's overview run as many queries with 30 applications as with 3.
"""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusterdesk.declarations.domain.forms import field_findings, form_of
from clusterdesk.declarations.models import Application
from clusterdesk.form import rules, validation
from clusterdesk.form.example import example_json
from tests.factories import make_application, make_city_officer, make_county_officer, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(monkeypatch):
    """Calls of the one whole-form validation, and the parts each walked."""
    calls: list[set[str]] = []
    real_passes, real_walk = validation.validate_passes, rules.walk_top

    def validate_passes(*args, **kwargs):
        calls.append(set())
        return real_passes(*args, **kwargs)

    def walk_top(definition, form, name):
        if calls:
            calls[-1].add(name)
        return real_walk(definition, form, name)

    monkeypatch.setattr(validation, "validate_passes", validate_passes)
    monkeypatch.setattr(rules, "walk_top", walk_top)
    return calls


def form_url(application, page):
    return f"/applications/{application.pk}/form/{page}/"


def test_each_request_validates_once_and_unchanged_data_never_again(client, counted):
    application = make_application()
    client.force_login(application.created_by)

    assert client.get(form_url(application, "part2")).status_code == 200
    assert len(counted) == 1
    for page in ("part3", "part8", "cover"):  # other pages of the same data
        assert client.get(form_url(application, page)).status_code == 200
    assert client.get(f"/county/applications/{application.pk}/check/").status_code == 200
    assert client.get(f"/county/applications/{application.pk}/submit/").status_code == 200
    assert len(counted) == 1  # the findings of this version were kept

    # Submitting: the page, the guard of the workflow and the answer share one validation.
    response = client.post(f"/county/applications/{application.pk}/submit/")
    assert response.status_code == 302
    assert len(counted) == 1


def test_autosave_walks_only_the_changed_part_and_finds_what_a_full_validation_finds(
    client, counted
):
    application = make_application()
    client.force_login(application.created_by)
    client.get(form_url(application, "part2"))
    counted.clear()

    change = {"path": "part2.total_output.2021", "value": "108.605", "original": None}
    change["original"] = application.data["part2"]["total_output"]["2021"]
    body = {"page": "part2", "changes": [change]}
    response = client.post(
        f"/applications/{application.pk}/autosave/", json.dumps(body), "application/json"
    )
    assert response.status_code == 200
    assert "保留小数点后2位" in response.json()["html"]
    assert counted == [{"part2"}]  # one validation, walking 二、主导产业情况 alone

    page = client.get(form_url(application, "part2")).content.decode()
    assert len(counted) == 1  # the page shows the findings the save made
    stored = Application.objects.get(pk=application.pk)
    full = field_findings(stored, form_of(stored))  # validated afresh, for comparison
    for finding in full:
        if finding.path.startswith("part2."):
            assert finding.message.replace('"', "&quot;") in page or finding.message in page


def part3_of(client, user, application) -> bytes:
    client.force_login(user)
    response = client.get(form_url(application, "part3"))
    assert response.status_code == 200
    return response.content


def test_part3_with_386_patents_is_under_150_kb_and_carries_every_patent(client):
    assert len(example_json()["part3"]["patents_list"]) == 386
    application = make_application()
    editable = part3_of(client, application.created_by, application)
    readonly = part3_of(client, make_city_officer(), application)
    assert len(editable) < 150_000
    assert len(readonly) < 150_000
    # Editable: the list travels once, as the data the page's script builds the rows from.
    text = editable.decode()
    original = re.search(r"data-path=\"part3.patents_list\"[^>]*data-original='([^']*)'", text)
    rows = json.loads(original.group(1).replace("&#x27;", "'").replace("&amp;", "&"))
    assert rows == application.data["part3"]["patents_list"]
    # Read-only: every patent is a row of text.
    table = re.search(r'data-path="part3.patents_list".*?</table>', readonly.decode(), re.S)
    assert table.group(0).count('<tr class="list-item">') == 386
    assert "ZL202110000006.6" in table.group(0)


# --- query counts do not grow with the number of applications ---------------------------------


def copies(round_, officers, count):
    """``count`` more applications holding the example, spread over ``officers``' units."""
    data = example_json()
    Application.objects.bulk_create(
        Application(
            round=round_,
            organisation=officers[index % len(officers)].organisation,
            created_by=officers[index % len(officers)],
            data=data,
        )
        for index in range(count)
    )


def queries(client, url) -> int:
    client.get(url)  # the first request may fill caches; a page is read again and again
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_county_pages_query_alike_with_3_and_30_applications(client):
    round_ = make_round()
    own = make_county_officer()
    others = [make_county_officer() for _ in range(3)]
    application = make_application(round_=round_, officer=own)
    county_pages = [
        "/county/",
        f"/county/applications/{application.pk}/check/",
        f"/county/applications/{application.pk}/submit/",
        form_url(application, "part2"),
        form_url(application, "part3"),
    ]

    def measure():
        client.force_login(own)
        return {url: queries(client, url) for url in county_pages}

    copies(round_, [own, *others], 2)
    assert Application.objects.count() == 3
    few = measure()
    copies(round_, [own, *others], 27)
    assert Application.objects.count() == 30
    assert measure() == few


def test_a_kept_page_never_carries_another_readers_csrf_token(client):
    from django.middleware.csrf import _does_token_match  # noqa: PLC0415 - Django's own check
    from django.test import Client  # noqa: PLC0415

    application = make_application()  # the example: every item has its evidence, with files
    colleague = make_county_officer(organisation=application.organisation)
    readers = []
    for user in (application.created_by, colleague):
        reader = Client(enforce_csrf_checks=True)
        reader.force_login(user)
        page = reader.get(form_url(application, "part2")).content.decode()
        tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert tokens  # the evidence widgets' remove forms
        readers.append((reader.cookies["csrftoken"].value, tokens))
    (secret_a, _tokens_a), (secret_b, tokens_b) = readers
    assert secret_a != secret_b
    assert all(_does_token_match(token, secret_b) for token in tokens_b)
