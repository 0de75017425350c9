"""Pages that cost what they should (issue 9, item 11), second pass: the county dashboard reads no
form, the self-check is evaluated once per data version, autosave's findings lists are rendered
without a template include each, and what a process keeps stays bounded.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext, override_settings

from clusterdesk.county.domain import selfcheck
from clusterdesk.county.views import selfcheck as selfcheck_view
from clusterdesk.declarations.domain import editing, forms
from clusterdesk.declarations.domain.forms import field_findings_for, form_definition, form_of
from clusterdesk.declarations.domain.lru import Lru
from clusterdesk.declarations.interfaces import page_cache
from clusterdesk.declarations.interfaces.form_page import build_page, findings_holders
from clusterdesk.declarations.models import Application
from clusterdesk.declarations.views.form import findings_lists
from clusterdesk.form.example import example_json
from tests.factories import make_application, make_county_officer, make_round

pytestmark = pytest.mark.django_db

# The form's whole JSON as a column of a SELECT; reading a key out of it (``->``/``#>>`` on
# PostgreSQL, JSON_EXTRACT on SQLite) is what the pages may do.
WHOLE_DATA = re.compile(r'"declarations_application"\."data"(?!\s*(->|#>)|\s*,\s*\'\$)')


def whole_form_reads(captured) -> list[str]:
    return [
        query["sql"][:200]
        for query in captured.captured_queries
        if query["sql"].lstrip().upper().startswith("SELECT") and WHOLE_DATA.search(query["sql"])
    ]


def without_tokens(response) -> str:
    """The page without its CSRF tokens (masked anew on every request)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def many(round_, officer, count: int) -> None:
    data = example_json()
    Application.objects.bulk_create(
        Application(round=round_, organisation=officer.organisation, created_by=officer, data=data)
        for _ in range(count)
    )


@pytest.mark.parametrize("count", [3, 30])  # 30: more than a page of rows (the numbered query)
def test_the_county_dashboard_reads_no_form_once_summaries_are_kept(client, count):
    round_ = make_round()
    officer = make_county_officer()
    application = make_application(round_=round_, officer=officer)
    many(round_, officer, count - 1)
    client.force_login(officer)
    first = client.get("/county/")  # the summaries are counted once per data version
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/county/")
    assert response.status_code == 200
    assert whole_form_reads(captured) == []
    page = response.content.decode()
    # What the rows show from the form is still there: the name, the progress, the header.
    assert application.cluster_name in page
    assert page.count(example_json()["part1"]["cluster_name"]) >= min(count, 20) - 1
    assert "处错误" in page or "100%" in page
    assert without_tokens(first) == without_tokens(response)


def test_a_dashboard_row_shows_the_new_name_after_a_save(client):
    application = make_application()
    client.force_login(application.created_by)
    assert "测试产业集群" in client.get("/county/").content.decode()
    data = dict(application.data)
    data["part1"] = {**data["part1"], "cluster_name": "改名后的产业集群"}
    application.data = data
    application.version += 1
    application.save()
    page = client.get("/county/").content.decode()
    assert "改名后的产业集群" in page
    assert "测试产业集群" not in page


def test_a_repeated_self_check_evaluates_and_reads_nothing_of_the_form(client, monkeypatch):
    application = make_application()
    client.force_login(application.created_by)
    url = f"/county/applications/{application.pk}/check/"
    calls = []
    real = selfcheck.self_check
    monkeypatch.setattr(selfcheck_view, "self_check", lambda app: calls.append(app) or real(app))
    first = client.get(url)
    assert first.status_code == 200
    assert len(calls) == 1
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url)
    assert again.status_code == 200
    assert len(calls) == 1  # kept: no criteria evaluated, no validation, no rendering
    assert whole_form_reads(captured) == []
    assert without_tokens(again) == without_tokens(first)
    # A save makes a new version: the check is evaluated again, for the new data.
    application.refresh_from_db()
    application.version += 1
    application.save()
    assert client.get(url).status_code == 200
    assert len(calls) == 2


def test_autosave_findings_lists_are_what_the_page_template_renders():
    application = make_application()
    definition = form_definition(application)
    page = build_page(definition, form_of(application), "part2", field_findings_for(application))
    holders = findings_holders(page)
    # A finding with characters that must be escaped, with and without an id.
    path = next(iter(holders))
    holders[path][1].append(
        {"level": "error", "rule": "x<1", "message": "<b>“1 & 2”</b>", "paths": path}
    )
    holders[path][1].append(
        {"level": "warning", "rule": "y", "message": "'引号'", "paths": path, "id": "finding-a"}
    )
    expected = "".join(
        render_to_string(
            "declarations/form/findings.html", {"path": holder, "findings": findings}
        )  # the template's file ends with its newline
        for holder, (_label, findings) in holders.items()
    )
    assert len(holders) > 20
    assert findings_lists(holders) == expected


def test_a_save_validates_and_writes_only_the_changed_part(monkeypatch):
    application = make_application()
    model = form_definition(application).model
    whole, parts = [], []
    real = model.model_validate
    monkeypatch.setattr(model, "model_validate", lambda data: whole.append(1) or real(data))
    part2 = model.model_fields["part2"].annotation
    real_part = part2.model_validate
    monkeypatch.setattr(part2, "model_validate", lambda data: parts.append(1) or real_part(data))
    before = application.data["part2"]["total_output"]["2021"]
    change = editing.Change("part2.total_output.2021", "99.5", before)
    with CaptureQueriesContext(connection) as queries:
        result = editing.save_changes(application, [change], application.created_by)
    assert result.applied == ["part2.total_output.2021"]
    assert whole == []  # the 50 KB form is neither validated nor dumped whole for one box
    assert parts  # part 二 is
    monkeypatch.undo()
    # Only part 二 went to the database, which set it in place.
    (update,) = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert "part2" in update
    assert "part3" not in update
    stored = Application.objects.get(pk=application.pk)
    assert stored.data["part2"]["total_output"]["2021"] == 99.5
    # What was stored is what validating the whole form makes of it, and what the page that
    # answers the save reads is that form.
    assert stored.data == model.model_validate(stored.data).model_dump(mode="json")
    assert form_of(application).model_dump(mode="json") == stored.data


def test_an_update_of_what_is_no_part_is_validated_whole():
    application = make_application()
    model = form_definition(application).model
    stored = model.model_validate(application.data).model_dump(mode="json")
    data = dict(stored)
    data["evidence"] = {"part2.chain_map": []}
    assert editing.canonical_parts(model, stored, data) is None  # the register is no part
    data = dict(stored)
    del data["part9"]  # a part dropped: the whole form, which gives it its default
    assert editing.canonical_parts(model, stored, data) is None
    data = dict(stored)
    data["part2"] = {**stored["part2"], "total_output": {"2021": "12.5"}}
    assert editing.canonical_parts(model, stored, data) == {
        "part2": model.model_fields["part2"]
        .annotation.model_validate(data["part2"])
        .model_dump(mode="json")
    }


def test_an_edit_keeps_the_columns_the_database_derives_from_the_form():
    """The cluster's name is a column the database computes from the form (the city's lists
    sort by it): a save that sets only part 一 in place keeps it right."""
    application = make_application()
    before = application.data["part1"]["cluster_name"]
    change = editing.Change("part1.cluster_name", "宁波测试模具产业集群", before)
    assert editing.save_changes(application, [change], application.created_by).applied
    stored = Application.objects.get(pk=application.pk)
    assert stored.listed_name == "宁波测试模具产业集群"
    assert stored.data["part1"]["cluster_name"] == "宁波测试模具产业集群"


# --- what a process keeps is bounded -----------------------------------------------------------


def test_findings_of_1000_versions_keep_at_most_the_bound():
    application = make_application(data={})
    forms.forget_checked()
    for version in range(1, 1001):
        application.version = version
        forms.checked(application)
    assert len(forms._checked) == forms.CHECKED_ENTRIES
    # The newest are kept, the oldest went.
    assert forms._checked_key(application, 1000, application.updated_at) in forms._checked
    assert forms._checked_key(application, 1, application.updated_at) not in forms._checked
    forms.forget_checked()


def test_pages_of_1000_versions_stay_within_the_store_bytes():
    store = page_cache._Pages(max_bytes=4 << 20)
    html = "申报表内容" * 10_000  # ~100 KB as the store counts it
    for version in range(1000):
        store.put(("page", 1, version), html)
        assert store.size <= store.max_bytes
    assert len(store.pages) == store.max_bytes // (len(html) * 2)
    assert store.get(("page", 1, 999)) == html
    assert store.get(("page", 1, 0)) is None


@override_settings(DEBUG=False)
def test_the_kept_self_check_and_pages_are_bounded_by_the_process_store(client):
    application = make_application()
    client.force_login(application.created_by)
    page_cache.clear()
    for version in range(2, 40):
        Application.objects.filter(pk=application.pk).update(version=version)
        assert client.get(f"/county/applications/{application.pk}/check/").status_code == 200
    assert 0 < page_cache._store.size <= page_cache.MAX_BYTES
    page_cache.clear()


def test_the_process_store_drops_the_least_recently_used_first():
    store: Lru[int] = Lru(3)
    store.put_many({"a": 1, "b": 2, "c": 3})
    assert store.get("a") == 1  # read lately: kept
    store.put("d", 4)
    assert "b" not in store
    assert len(store) == 3
    assert store.get_many(["a", "c", "d", "b"]) == {"a": 1, "c": 3, "d": 4}
