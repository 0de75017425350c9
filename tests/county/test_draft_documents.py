"""A draft's (or a returned application's) Attachment 2 says 草稿 on every page and counts its
open errors on the cover; what was submitted prints without the mark (issue 9, item 7)."""

import io
import tempfile
import zipfile
from pathlib import Path

import docx
import pytest

from clusterdesk.declarations.domain.forms import application_summary
from clusterdesk.declarations.enums import ApplicationState
from tests.declarations.county_world import client_for, make_world
from tests.documents.helpers import needs_pdf_tools, pdf_pages
from tests.factories import complete_form_data, make_application

pytestmark = pytest.mark.django_db
S = ApplicationState


def headers(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    return ["".join(p.text for p in s.header.paragraphs) for s in document.sections]


def cover(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs[:8])


def word(client, application) -> bytes:
    response = client.get(f"/county/applications/{application.pk}/attachment2.docx")
    assert response.status_code == 200
    return response.content


def test_a_draft_with_errors_prints_as_a_draft_with_their_count(client):
    world = make_world()
    data = complete_form_data("本县未填完集群")
    data["part1"]["operator"] = None
    data["part2"]["total_output"] = {}
    draft = make_application(round_=world.round, officer=world.own, data=data)
    errors = application_summary(draft).errors
    assert errors >= 2
    content = word(client_for(client, world, "own"), draft)
    assert headers(content)
    assert all("草稿" in text for text in headers(content))
    assert f"草稿 · 尚有 {errors} 处错误未改正，不是正式申报材料" in cover(content)


def test_a_returned_application_being_corrected_prints_as_a_draft(client):
    world = make_world()
    returned = make_application(
        round_=world.round,
        officer=world.own,
        cluster_name="本县退回集群",
        path=(S.SUBMITTED, S.RETURNED),
    )
    content = word(client_for(client, world, "own"), returned)
    assert all("草稿" in text for text in headers(content))
    # The example has no error.
    assert "草稿 · 暂无未改正的错误，尚未提交，不是正式申报材料" in cover(content)


@pytest.mark.parametrize("path", [(S.SUBMITTED,), (S.SUBMITTED, S.UNDER_REVIEW)])
def test_what_was_submitted_prints_without_the_mark(client, path):
    world = make_world()
    filed = make_application(
        round_=world.round, officer=world.own, cluster_name="本县已交集群", path=path
    )
    content = word(client_for(client, world, "own"), filed)
    assert not any("草稿" in text for text in headers(content))
    assert "草稿" not in cover(content)


def package_forms(client) -> dict[str, bytes]:
    response = client.get("/county/package.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return {
        name.split("/")[0]: archive.read(name)
        for name in archive.namelist()
        if name.endswith("/附件2-申报表.docx")
    }


def test_the_package_marks_the_drafts_it_previews_and_not_what_was_filed(client):
    world = make_world()
    client_for(client, world, "own")
    (preview,) = package_forms(client).values()  # nothing submitted: the draft, as a preview
    assert all("草稿" in text for text in headers(preview))
    make_application(
        round_=world.round, officer=world.own, cluster_name="本县已交集群", path=(S.SUBMITTED,)
    )
    make_application(
        round_=world.round,
        officer=world.own,
        cluster_name="本县退回集群",
        path=(S.SUBMITTED, S.RETURNED),
    )
    forms = package_forms(client)
    assert not any("草稿" in text for text in headers(forms["1-本县已交集群"]))
    assert all("草稿" in text for text in headers(forms["2-本县退回集群"]))


@pytest.mark.pdf
@needs_pdf_tools
def test_every_page_of_a_draft_pdf_says_draft(client):
    world = make_world()
    response = client_for(client, world, "own").get(
        f"/county/applications/{world.application.pk}/attachment2.pdf"
    )
    assert response.status_code == 200
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "draft.pdf"
        path.write_bytes(response.content)
        pages = pdf_pages(path)
    assert len(pages) > 30
    assert [n for n, page in enumerate(pages, 1) if "草稿" not in page] == []
