"""The revocation pages: from the registry row to the form, the decision, its 通报; who sees what;
bad input on the form; the public list and the history afterwards."""

from __future__ import annotations

import html

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.documents import pdf as pdf_module
from clusterdesk.documents.errors import PdfUnavailable
from clusterdesk.notifications.enums import NotificationKind
from clusterdesk.notifications.models import Notification
from clusterdesk.revocation.models import Revocation
from tests.documents.helpers import docx_text, needs_pdf_tools, pdf_pages
from tests.factories import make_county_officer, make_user
from tests.revocation.conftest import CERTIFIED_NUMBER, NUMBER, REASON

pytestmark = pytest.mark.django_db

TITLE = "关于撤销鄞州模具产业集群宁波市中小企业特色产业集群认定的通报"


def text(response) -> str:
    return html.unescape(response.content.decode())


def post(client, certification, **changes):
    data = {
        "reason_class": "false_declaration",
        "reason": REASON,
        "document_number": NUMBER,
        "decided_on": "2023-05-30",
    }
    data.update(changes)
    return client.post(reverse("revocation:new", args=[certification.pk]), data)


def test_the_city_revokes_from_the_registry_row(client, world, certification):
    client.force_login(world.city)
    registry = text(client.get(reverse("registry:list")))
    form_url = reverse("revocation:new", args=[certification.pk])
    assert f'href="{form_url}"' in registry
    assert "撤销认定" in registry

    form = text(client.get(form_url))
    assert "撤销认定：鄞州模具产业集群" in form
    assert CERTIFIED_NUMBER in form
    assert 'value="甬经信中小〔2023〕号"' in form  # the round's prefix, the year
    assert "不能撤销" not in form

    response = post(client, certification)
    revocation = Revocation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("revocation:detail", args=[revocation.pk])
    detail = text(client.get(response.url))
    assert "已撤销“鄞州模具产业集群”的认定（甬经信中小〔2023〕45号，2023年5月30日）" in detail
    assert TITLE in detail
    assert REASON in detail
    assert "虚假申报" in detail

    # The registry shows the decision on the row, and no longer offers to revoke it.
    registry = text(client.get(reverse("registry:list")))
    assert "已撤销" in registry
    assert f"撤销文号：{NUMBER}（虚假申报）" in registry
    assert reverse("revocation:detail", args=[revocation.pk]) in registry
    assert f'href="{form_url}"' not in registry
    # The list of revocations.
    listing = text(client.get(reverse("revocation:list")))
    assert "鄞州模具产业集群" in listing
    assert NUMBER in listing
    assert CERTIFIED_NUMBER in listing


def test_the_public_list_drops_the_revoked_cluster(client, world, certification):
    before = text(client.get(reverse("certified:list")))
    assert "鄞州模具产业集群" in before
    client.force_login(world.city)
    post(client, certification)
    client.logout()
    after = text(client.get(reverse("certified:list")))
    assert "鄞州模具产业集群" not in after
    assert "余姚塑料制品产业集群" in after
    assert "鄞州模具产业集群" not in docx_text(client.get(reverse("certified:docx")).content)


def test_the_history_still_lists_the_certification(client, world, certification):
    client.force_login(world.city)
    post(client, certification)
    timeline = text(client.get(reverse("form:timeline", args=[certification.application_id])))
    assert "认定" in timeline
    assert "撤销认定" in timeline
    assert f"【虚假申报】{REASON}（{NUMBER}）" in timeline
    moves = list(certification.application.events.values_list("from_state", "to_state"))
    assert (S.PROPOSED, S.CERTIFIED) in moves
    assert (S.CERTIFIED, S.REVOKED) in moves


def test_a_prefilled_class_is_only_preselected(client, world, certification):
    client.force_login(world.city)
    url = reverse("revocation:new", args=[certification.pk])
    page = text(client.get(url, {"reason_class": "unreported_change"}))
    assert '<option value="unreported_change" selected>重大变更未报告</option>' in page
    assert not Revocation.objects.exists()
    page = text(client.get(url, {"reason_class": "<script>"}))
    assert " selected>" not in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reason_class": ""}, "未撤销：撤销原因类别：请选择撤销原因类别。"),
        ({"reason_class": "bogus"}, "未撤销：撤销原因类别：“bogus”不是可选的类别"),
        ({"reason": " "}, "未撤销：撤销理由：请填写撤销的事实和依据。"),
        ({"document_number": ""}, "未撤销：撤销文号：请填写撤销决定的文号"),
        ({"decided_on": "2023-13-40"}, "未撤销：决定日期：请填写有效的日期。"),
        ({"decided_on": ""}, "未撤销：决定日期：请填写有效的日期。"),
        ({"decided_on": "2023-06-05"}, "未撤销：决定日期：不能晚于今天（2023年6月1日）。"),
    ],
)
def test_bad_input_on_the_form_keeps_what_was_typed(client, world, certification, changes, message):
    client.force_login(world.city)
    response = post(client, certification, **changes)
    assert response.status_code == 200
    page = text(response)
    assert message in page
    assert REASON in page or changes.get("reason") == " "  # what was typed is still there
    assert not Revocation.objects.exists()
    certification.application.refresh_from_db()
    assert certification.application.state == S.CERTIFIED


def test_a_revoked_certification_shows_why_the_form_is_closed(client, world, certification):
    client.force_login(world.city)
    post(client, certification)
    page = text(client.get(reverse("revocation:new", args=[certification.pk])))
    assert "不能撤销：“鄞州模具产业集群”的认定已于2023年5月30日撤销" in page
    assert "<fieldset disabled>" in page
    response = post(client, certification, document_number="甬经信中小〔2023〕46号")
    assert "不能重复撤销" in text(response)
    assert Revocation.objects.count() == 1


def test_an_unknown_certification_is_404(client, world):
    client.force_login(world.city)
    assert client.get(reverse("revocation:new", args=[999999])).status_code == 404


def test_the_list_filters_by_class(client, world, certification):
    client.force_login(world.city)
    post(client, certification)
    url = reverse("revocation:list")
    assert "鄞州模具产业集群" in text(client.get(url, {"reason_class": "false_declaration"}))
    assert "鄞州模具产业集群" not in text(client.get(url, {"reason_class": "major_incident"}))
    assert "没有撤销认定记录" in text(client.get(url, {"reason_class": "nonsense"}))


def test_the_admin_reads_but_cannot_revoke(client, world, certification, admin):
    client.force_login(admin)
    assert client.get(reverse("registry:list")).status_code == 200
    assert reverse("revocation:new", args=[certification.pk]) not in text(
        client.get(reverse("registry:list"))
    )
    assert client.get(reverse("revocation:new", args=[certification.pk])).status_code == 403
    assert post(client, certification).status_code == 403
    assert not Revocation.objects.exists()
    assert client.get(reverse("revocation:list")).status_code == 200


def _revoked(client, world, certification) -> Revocation:
    client.force_login(world.city)
    post(client, certification)
    client.logout()
    return Revocation.objects.get()


def test_the_county_downloads_its_own_notice(client, world, certification):
    revocation = _revoked(client, world, certification)
    county = certification.application.created_by
    client.force_login(county)
    # The notification leads to the decision.
    notice = Notification.objects.get(recipient=county, kind=NotificationKind.REVOKED)
    detail = client.get(notice.url)
    assert detail.status_code == 200
    assert TITLE in text(detail)
    docx = client.get(reverse("revocation:notice", args=[revocation.pk, "docx"]))
    assert docx.status_code == 200
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''" in docx["Content-Disposition"]
    assert TITLE in docx_text(docx.content)
    # Its own pages of the city are still closed to it.
    assert client.get(reverse("revocation:list")).status_code == 403
    assert client.get(reverse("revocation:new", args=[certification.pk])).status_code == 403


def test_another_county_cannot_see_or_download(client, world, certification):
    revocation = _revoked(client, world, certification)
    other = world.applications[1].created_by  # a county with a certified cluster of its own
    for user in (other, make_county_officer()):
        client.force_login(user)
        for url in (
            reverse("revocation:detail", args=[revocation.pk]),
            reverse("revocation:notice", args=[revocation.pk, "docx"]),
            reverse("revocation:notice", args=[revocation.pk, "pdf"]),
        ):
            response = client.get(url)
            assert response.status_code == 404, url
            assert "鄞州模具产业集群" not in text(response)
    client.force_login(make_user("expert"))
    assert client.get(reverse("revocation:detail", args=[revocation.pk])).status_code == 403
    client.logout()
    response = client.get(reverse("revocation:notice", args=[revocation.pk, "docx"]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_unknown_format_is_404(client, world, certification):
    revocation = _revoked(client, world, certification)
    client.force_login(world.city)
    assert client.get(reverse("revocation:notice", args=[revocation.pk, "odt"])).status_code == 404


def test_without_libreoffice_the_pdf_says_so(client, world, certification, tmp_path, monkeypatch):
    monkeypatch.setattr(django_settings, "MEDIA_ROOT", tmp_path)  # no PDF kept from elsewhere
    revocation = _revoked(client, world, certification)

    def unavailable(*args, **kwargs):
        raise PdfUnavailable()

    monkeypatch.setattr(pdf_module, "convert_to_pdf", unavailable)
    client.force_login(world.city)
    response = client.get(reverse("revocation:notice", args=[revocation.pk, "pdf"]))
    assert response.status_code == 503
    assert "请下载 Word 版撤销认定通报" in text(response)


@needs_pdf_tools
def test_the_pdf_reads_like_the_word_file(client, world, certification, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    revocation = _revoked(client, world, certification)
    client.force_login(certification.application.created_by)
    response = client.get(reverse("revocation:notice", args=[revocation.pk, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "notice.pdf"
    path.write_bytes(response.content)
    pages = "".join(pdf_pages(path)).replace(" ", "").replace("\n", "")
    assert "鄞州模具产业集群" in pages
    assert NUMBER in pages
    assert "虚假申报" in pages
    # Kept: the second download is the same file, made once.
    assert pdf_module.libreoffice_available()
    again = client.get(reverse("revocation:notice", args=[revocation.pk, "pdf"]))
    assert again.content == response.content


def test_the_admin_site_shows_revocations_read_only(client, world, certification, admin):
    revocation = _revoked(client, world, certification)
    client.force_login(admin)
    listing = client.get(reverse("admin:revocation_revocation_changelist"))
    assert listing.status_code == 200
    assert NUMBER in text(listing)
    assert client.get(reverse("admin:revocation_revocation_add")).status_code == 403
    change = client.get(reverse("admin:revocation_revocation_change", args=[revocation.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in text(change)
    delete = client.get(reverse("admin:revocation_revocation_delete", args=[revocation.pk]))
    assert delete.status_code == 403
