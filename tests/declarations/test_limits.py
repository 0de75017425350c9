"""Hard caps on what a county can store: text per box, rows per 清单, the whole form, evidence."""

import hashlib

import pytest

from clusterdesk.declarations.domain.editing import (
    Change,
    EditRefused,
    replace_form,
    save_changes,
)
from clusterdesk.declarations.models import Application
from clusterdesk.evidence.domain.uploads import upload_evidence
from clusterdesk.evidence.models import Blob
from clusterdesk.form.example import example_application
from clusterdesk.form.fields import MAX_LIST_ROWS, hard_cap
from tests.declarations.test_form_views import post_changes
from tests.evidence import samples
from tests.factories import make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def blank(county_officer):
    return make_application(officer=county_officer, data={"part1": {"cluster_name": "空白集群"}})


def stored(application):
    return Application.objects.get(pk=application.pk)


def test_a_text_far_over_its_limit_is_refused_through_autosave(client, blank, county_officer):
    # 集群运营管理机构 has a 60-character limit: over it is a finding, ten times over is refused.
    client.force_login(county_officer)
    cap = hard_cap(60)
    response = post_changes(client, blank, ("part1.operator", "甲" * (cap + 1), ""))
    body = response.json()
    assert body["applied"] == []
    assert body["invalid"]["part1.operator"] == (
        f"「集群运营管理机构」：文字过长（{cap + 1:,} 字，系统上限 {cap:,} 字）"
    )
    assert stored(blank).data["part1"].get("operator") is None
    assert stored(blank).version == blank.version  # nothing written at all


def test_a_text_over_its_official_limit_but_under_the_cap_is_kept_for_the_officer_to_fix(
    blank, county_officer
):
    result = save_changes(blank, [Change("part1.operator", "甲" * 90, None)], county_officer)
    assert result.applied == ["part1.operator"]
    assert stored(blank).data["part1"]["operator"] == "甲" * 90


def test_a_list_with_too_many_rows_is_refused(blank, county_officer):
    rows = [{"title": f"专利{i}", "number": f"ZL{i}"} for i in range(MAX_LIST_ROWS + 1)]
    result = save_changes(blank, [Change("part3.patents_list", rows, [])], county_officer)
    assert result.applied == []
    assert "条目过多" in result.invalid["part3.patents_list"]
    assert f"系统上限 {MAX_LIST_ROWS:,} 行" in result.invalid["part3.patents_list"]


def test_the_whole_form_has_a_size_cap(settings, blank, county_officer):
    settings.CLUSTERDESK_FORM_MAX_KB = 20  # the example is about 50 KB as JSON
    with pytest.raises(EditRefused, match=r"申报表数据过大.*超过系统上限"):
        replace_form(blank, example_application(), county_officer)
    assert stored(blank).data == blank.data


def padded_pdf(fill: bytes, size: int) -> bytes:
    """A valid PDF of about ``size`` bytes (a long comment line) whose content ``fill`` varies."""
    head = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    pages = (
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 72 72]>>endobj\n"
    )
    return head + b"%" + fill * size + b"\n" + pages + b"trailer<</Root 1 0 R>>\n%%EOF\n"


def test_evidence_beyond_the_applications_quota_is_refused(
    settings, tmp_path, blank, county_officer
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CLUSTERDESK_EVIDENCE_QUOTA_MB = 1
    first, second = padded_pdf(b"a", 600_000), padded_pdf(b"b", 600_000)
    result = upload_evidence(
        blank, "part2.chain_map", [samples.upload("图谱.pdf", first)], county_officer
    )
    assert result.added == ["图谱.pdf"]
    result = upload_evidence(
        blank, "part2.chain_map", [samples.upload("图谱二.pdf", second)], county_officer
    )
    assert result.added == []
    assert result.refused == [
        "“图谱二.pdf”未上传：本申报的佐证材料已占用 0.6 MB，加上此文件将超过 1 MB 的上限。"
        "请删除不需要的文件，或压缩后再上传。"
    ]
    assert not Blob.objects.filter(sha256=hashlib.sha256(second).hexdigest()).exists()
    # The same file again under another item takes no more space.
    result = upload_evidence(
        blank,
        "part2.resource_sharing_work.shared_manufacturing",
        [samples.upload("图谱.pdf", first)],
        county_officer,
    )
    assert result.added == ["图谱.pdf"]
