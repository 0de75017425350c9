"""The declaration's doors work for an annual report: form pages, autosave, self-check (with the
consistency warnings), submit, Word/PDF print, Word import."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.documents.annual_render import render_annual
from clusterdesk.form.annual.example import example_report, example_report_data
from clusterdesk.monitoring.domain import reports, windows
from tests.factories import SHANGHAI
from tests.monitoring.world import file_cases
from tests.registry.world import certified_world

pytestmark = pytest.mark.django_db

IN_WINDOW = dt.datetime(2024, 2, 1, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def report():
    world = certified_world()
    windows.open_annual_round(2023, actor=world.city)
    officer = world.applications[0].created_by
    with clock.frozen(IN_WINDOW):
        application = reports.start_report(world.applications[0].certification, 2023, officer)
    return application, officer


def test_form_pages_and_selfcheck_and_submit(client, report):
    application, officer = report
    client.force_login(officer)
    with clock.frozen(IN_WINDOW):
        assert client.get(f"/applications/{application.pk}/form/", follow=True).status_code == 200
        page = client.get(f"/county/applications/{application.pk}/check/")
        assert page.status_code == 200, page.content.decode()[:2000]
        data = example_report_data(2023)
        data["basics"]["cluster_name"] = "鄞州模具产业集群"
        reports.fill_report(application, data, officer)
        file_cases(application, officer)
        response = client.post(f"/county/applications/{application.pk}/submit/")
        assert response.status_code == 302, response.content.decode()[:3000]
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert application.submissions.count() == 1


def test_autosave(client, report):
    application, officer = report
    client.force_login(officer)
    with clock.frozen(IN_WINDOW):
        response = client.post(
            f"/applications/{application.pk}/autosave/",
            data=json.dumps(
                {
                    "changes": [
                        {
                            "path": "basics.contact",
                            "value": "张三",
                            "original": application.data["basics"]["contact"],
                        }
                    ]
                }
            ),
            content_type="application/json",
        )
    assert response.status_code == 200, response.content.decode()[:1000]
    application.refresh_from_db()
    assert application.data["basics"]["contact"] == "张三"


def test_word_import_into_a_report(client, report):
    application, officer = report
    client.force_login(officer)
    source = render_annual(example_report(2023))
    with clock.frozen(IN_WINDOW):
        response = client.post(
            f"/county/applications/{application.pk}/import/",
            {"file": SimpleUploadedFile("report.docx", source)},
        )
    # The preview lists what the file would change: the example cluster's name replaces ours.
    assert response.status_code == 200, response.content.decode()[:3000]
    assert "宁波北仑模具中小企业特色产业集群" in response.content.decode()
