"""Exports in the background, on the database queue and on Redis: the whole round's ZIP holds
every filed application's package, progress reaches its total, a half-written file is never
served, a failure shows its Chinese message and 重试 works, a round with nothing filed is
refused before anything is queued, and nobody reaches another's export."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.workflow import transition
from clusterdesk.documents import pdf as pdf_module
from clusterdesk.evidence.domain.uploads import upload_evidence
from clusterdesk.exports.domain import builders, jobs
from clusterdesk.exports.domain.jobs import start_export
from clusterdesk.exports.models import Export, ExportKind, ExportStatus
from tests.evidence import samples
from tests.factories import (
    make_admin,
    make_application,
    make_city_officer,
    make_county_officer,
    make_round,
)

pytestmark = pytest.mark.django_db

SUBMITTED = (S.SUBMITTED,)
ACCEPTED = (S.SUBMITTED, S.UNDER_REVIEW)


@pytest.fixture
def city():
    return make_city_officer()


@pytest.fixture
def filed(city):
    """A round with two filed applications of two counties (one with evidence on file), a
    draft and a returned one (not filed), and a filed one of another round."""
    round_ = make_round()
    first = make_application(round_=round_, cluster_name="甲模具产业集群")
    upload_evidence(
        first,
        "part2.chain_map",
        [SimpleUploadedFile("产业链图谱.pdf", samples.PDF)],
        first.created_by,
    )
    transition(first, S.SUBMITTED, first.created_by)
    second = make_application(
        round_=round_, cluster_name="乙纺织产业集群", path=ACCEPTED, city_officer=city
    )
    make_application(round_=round_, cluster_name="丙草稿产业集群")
    make_application(
        round_=round_,
        cluster_name="丁退回产业集群",
        path=(S.SUBMITTED, S.RETURNED),
        city_officer=city,
    )
    make_application(cluster_name="戊他轮产业集群", path=SUBMITTED)
    return round_, [first, second]


def start(client, django_capture_on_commit_callbacks, round_, kind, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("exports:start"), {"round": round_.pk, "kind": kind, **extra})


def queue_zip(user, round_, django_capture_on_commit_callbacks, *, pdf=False) -> Export:
    with django_capture_on_commit_callbacks(execute=True):
        return start_export(user, round_, ExportKind.ROUND_ZIP, {"pdf": pdf})


# --- the whole round --------------------------------------------------------------------------


def test_the_whole_round_zip_holds_every_filed_package(
    tasks, client, city, filed, django_capture_on_commit_callbacks
):
    round_, applications = filed
    export = queue_zip(city, round_, django_capture_on_commit_callbacks)
    assert tasks.queued() == 1
    tasks.work()
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE, export.message
    assert (export.done, export.total) == (3, 3)  # two packages and the summary

    client.force_login(city)
    response = client.get(reverse("exports:download", args=[export.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert len(content) == export.size
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.testzip() is None
    packages = sorted(name for name in archive.namelist() if name.endswith(".zip"))
    assert len(packages) == 2
    assert any("甲模具产业集群" in name for name in packages)
    assert any("乙纺织产业集群" in name for name in packages)
    assert not any(word in "".join(archive.namelist()) for word in ("丙草稿", "丁退回", "戊他轮"))
    names = {}
    for name in packages:
        inner = zipfile.ZipFile(io.BytesIO(archive.read(name)))
        assert inner.testzip() is None
        listed = inner.namelist()
        assert any(entry.endswith("附件2-申报表.docx") for entry in listed)
        data_file = next(entry for entry in listed if entry.endswith("application.json"))
        names[json.loads(inner.read(data_file))["part1"]["cluster_name"]] = listed
    assert set(names) == {"甲模具产业集群", "乙纺织产业集群"}
    assert any(entry.endswith("产业链图谱.pdf") for entry in names["甲模具产业集群"])
    manifest = json.loads(archive.read("manifest.json"))
    assert {p["application"] for p in manifest["packages"]} == {a.pk for a in applications}
    assert any(name.startswith("附件1-") and name.endswith(".xlsx") for name in archive.namelist())


def test_progress_reaches_its_total_and_a_half_written_file_is_never_served(  # noqa: PLR0917 - fixtures
    tasks, client, city, filed, django_capture_on_commit_callbacks, monkeypatch
):
    round_, _ = filed
    export = queue_zip(city, round_, django_capture_on_commit_callbacks)
    client.force_login(city)
    seen = []
    report = jobs.report_progress

    def watch(export_id, done, total):
        report(export_id, done, total)
        state = client.get(reverse("exports:status", args=[export_id])).json()
        download = client.get(reverse("exports:download", args=[export_id]))
        on_disk = sorted(p.name for p in Path(tasks_dir()).iterdir())
        seen.append(
            (done, total, state["status"], state["download"], download.status_code, on_disk)
        )

    def tasks_dir():
        return jobs.export_dir()

    monkeypatch.setattr(jobs, "report_progress", watch)
    tasks.work()
    assert [(done, total) for done, total, *_ in seen] == [(0, 3), (1, 3), (2, 3), (3, 3)]
    for _done, _total, status, link, code, on_disk in seen:
        assert status == ExportStatus.RUNNING
        assert link is None
        assert code == 404  # nothing is served while the file is being written
        # Only the hidden temporary file exists, never a file under the final name.
        assert len(on_disk) == 1
        assert on_disk[0].startswith(".")
        assert on_disk[0].endswith(".part")
    export.refresh_from_db()
    state = client.get(reverse("exports:status", args=[export.pk])).json()
    assert (state["status"], state["done"], state["total"]) == ("done", 3, 3)
    assert state["download"] == reverse("exports:download", args=[export.pk])
    assert [p.name for p in jobs.export_dir().iterdir()] == [export.file_path]


def test_a_file_changed_or_cut_after_it_was_made_is_not_served(
    tasks, client, city, filed, django_capture_on_commit_callbacks
):
    round_, _ = filed
    export = queue_zip(city, round_, django_capture_on_commit_callbacks)
    tasks.work()
    export.refresh_from_db()
    path = jobs.export_dir() / export.file_path
    path.write_bytes(path.read_bytes()[:100])
    client.force_login(city)
    response = client.get(reverse("exports:download", args=[export.pk]))
    assert response.status_code == 410
    assert "导出文件已不在文件存储中" in response.content.decode()
    assert "请重新导出" in response.content.decode()


def test_a_failure_shows_its_message_and_retry_builds_the_file(  # noqa: PLR0917 - fixtures
    tasks, client, city, filed, django_capture_on_commit_callbacks, monkeypatch
):
    round_, _ = filed
    client.force_login(city)
    response = start(client, django_capture_on_commit_callbacks, round_, ExportKind.ROUND_ZIP)
    assert response.status_code == 302
    export = Export.objects.get()

    def broken(*args, **kwargs):
        raise OSError("磁盘已满")

    monkeypatch.setattr(builders, "application_package", broken)
    tasks.work()
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert export.message == jobs.INTERNAL
    assert not export.file_path
    assert list(jobs.export_dir().iterdir()) == []  # the temporary file went too
    page = client.get(reverse("exports:list")).content.decode()
    assert "导出失败：服务器内部错误" in page
    assert "重试" in page
    assert client.get(reverse("exports:download", args=[export.pk])).status_code == 404

    monkeypatch.undo()
    # The retry builds the whole ZIP with PDFs, as the desk's button asks: leave PDFs out here
    # (LibreOffice is slow; test_the_desk_button_builds_the_zip_with_pdfs covers them).
    Export.objects.filter(pk=export.pk).update(params={"pdf": False})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:retry", args=[export.pk]))
    assert response.status_code == 302
    export.refresh_from_db()
    assert (export.status, export.message, export.done) == (ExportStatus.QUEUED, "", 0)
    # A second retry of the same export while it is queued is refused, nothing queued twice.
    client.post(reverse("exports:retry", args=[export.pk]))
    assert tasks.queued() == 1
    tasks.work()
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    assert export.attempts == 2
    assert client.get(reverse("exports:download", args=[export.pk])).status_code == 200


def test_a_pdf_without_libreoffice_fails_with_a_chinese_message(  # noqa: PLR0917 - fixtures
    tasks, client, city, filed, django_capture_on_commit_callbacks, monkeypatch
):
    round_, _ = filed
    monkeypatch.setattr(pdf_module, "soffice_path", lambda: None)
    client.force_login(city)
    start(client, django_capture_on_commit_callbacks, round_, ExportKind.SUMMARY_PDF)
    tasks.work()
    export = Export.objects.get()
    assert export.status == ExportStatus.FAILED
    assert "LibreOffice" in export.message
    assert export.message in client.get(reverse("exports:list")).content.decode()


# --- refused up front -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [ExportKind.ROUND_ZIP, ExportKind.SUMMARY_XLSX])
def test_a_round_with_nothing_filed_is_refused_and_nothing_is_queued(
    tasks, client, city, django_capture_on_commit_callbacks, kind
):
    round_ = make_round()
    make_application(round_=round_, cluster_name="草稿产业集群")
    client.force_login(city)
    desk = f"{reverse('intake:desk')}?round={round_.pk}"
    response = start(client, django_capture_on_commit_callbacks, round_, kind, back=desk)
    assert response.status_code == 302
    assert response.url == desk
    page = client.get(response.url).content.decode()
    assert f"未导出：“{round_.name}”尚无已提交的申报，没有可导出的材料。" in page
    assert Export.objects.count() == 0
    assert tasks.queued() == 0


def test_an_unknown_kind_or_round_is_refused_in_chinese(client, city, filed):
    round_, _ = filed
    client.force_login(city)
    response = client.post(reverse("exports:start"), {"round": round_.pk, "kind": "everything"})
    assert "没有这种导出内容" in client.get(response.url).content.decode()
    response = client.post(reverse("exports:start"), {"round": "abc", "kind": "round_zip"})
    assert "请选择申报轮次" in client.get(response.url).content.decode()
    # An outside address to go back to is ignored.
    response = client.post(
        reverse("exports:start"), {"round": "abc", "kind": "round_zip", "back": "//evil.example/"}
    )
    assert response.url == reverse("exports:list")
    assert Export.objects.count() == 0


# --- the other kinds --------------------------------------------------------------------------


def test_the_inbox_list_keeps_the_filters_and_defuses_formulas(
    tasks, client, city, django_capture_on_commit_callbacks
):
    round_ = make_round(county_limit=5)
    officer = make_county_officer()
    for name in ('=HYPERLINK("http://evil.example","点击")', "@SUM(1+1)", "正常产业集群"):
        make_application(round_=round_, officer=officer, cluster_name=name, path=SUBMITTED)
    make_application(round_=round_, officer=officer, cluster_name="草稿产业集群")
    client.force_login(city)
    query = f"round={round_.pk}&state=submitted"
    start(client, django_capture_on_commit_callbacks, round_, ExportKind.INBOX_XLSX, query=query)
    tasks.work()
    export = Export.objects.get()
    assert export.status == ExportStatus.DONE, export.message
    response = client.get(reverse("exports:download", args=[export.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [sheet.cell(row, 3).value for row in range(2, sheet.max_row + 1)]
    assert sorted(names) == sorted(
        ['\'=HYPERLINK("http://evil.example","点击")', "'@SUM(1+1)", "正常产业集群"]
    )
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row if cell.value)


def test_an_inbox_filter_that_selects_nothing_is_refused(client, city, filed):
    round_, _ = filed
    client.force_login(city)
    response = client.post(
        reverse("exports:start"),
        {"round": round_.pk, "kind": "inbox_xlsx", "query": "name=不存在的集群"},
    )
    assert "收件箱中没有符合筛选条件的申报" in client.get(response.url).content.decode()
    response = client.post(
        reverse("exports:start"),
        {"round": round_.pk, "kind": "inbox_xlsx", "query": "state=nonsense"},
    )
    assert "筛选条件有误（状态" in client.get(response.url).content.decode()
    assert Export.objects.count() == 0


def test_attachment1_of_the_round_lists_every_filed_application(
    tasks, client, city, filed, django_capture_on_commit_callbacks
):
    round_, _ = filed
    client.force_login(city)
    start(client, django_capture_on_commit_callbacks, round_, ExportKind.SUMMARY_XLSX)
    start(client, django_capture_on_commit_callbacks, round_, ExportKind.SUMMARY_DOCX)
    tasks.work()
    xlsx, docx = sorted(Export.objects.all(), key=lambda e: e.kind, reverse=True)
    assert (xlsx.kind, docx.kind) == (ExportKind.SUMMARY_XLSX, ExportKind.SUMMARY_DOCX)
    assert xlsx.status == docx.status == ExportStatus.DONE
    sheet = load_workbook(jobs.export_dir() / xlsx.file_path).active
    text = " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value)
    assert "甲模具产业集群" in text
    assert "乙纺织产业集群" in text
    assert "丙草稿产业集群" not in text
    assert zipfile.is_zipfile(jobs.export_dir() / docx.file_path)
    assert docx.file_name.startswith("附件1-")
    assert docx.file_name.endswith(".docx")


@pytest.mark.pdf
@pytest.mark.skipif(not pdf_module.libreoffice_available(), reason="LibreOffice is not installed")
def test_the_desk_button_builds_the_zip_with_pdfs(
    database_tasks, client, city, django_capture_on_commit_callbacks
):
    round_ = make_round()
    make_application(round_=round_, cluster_name="甲模具产业集群", path=SUBMITTED)
    client.force_login(city)
    desk = client.get(f"{reverse('intake:desk')}?round={round_.pk}").content.decode()
    assert "导出全部申报材料（ZIP）" in desk
    start(client, django_capture_on_commit_callbacks, round_, ExportKind.ROUND_ZIP)
    page = client.get(reverse("exports:list")).content.decode()
    assert 'aria-label="导出进度"' in page
    assert "排队中" in page
    database_tasks.work()
    export = Export.objects.get()
    assert export.status == ExportStatus.DONE, export.message
    page = client.get(reverse("exports:list")).content.decode()
    assert ">下载</a>" in page
    archive = zipfile.ZipFile(jobs.export_dir() / export.file_path)
    (package,) = [name for name in archive.namelist() if name.endswith(".zip")]
    inner = zipfile.ZipFile(io.BytesIO(archive.read(package)))
    form_pdf = next(name for name in inner.namelist() if name.endswith("附件2-申报表.pdf"))
    assert inner.read(form_pdf).startswith(b"%PDF")


# --- access -----------------------------------------------------------------------------------


def test_nobody_reaches_another_users_export_and_counties_none(
    tasks, client, city, filed, django_capture_on_commit_callbacks
):
    round_, applications = filed
    export = queue_zip(city, round_, django_capture_on_commit_callbacks)
    tasks.work()
    urls = [
        reverse("exports:status", args=[export.pk]),
        reverse("exports:download", args=[export.pk]),
    ]
    for other in (make_city_officer(), make_admin()):
        client.force_login(other)
        assert [client.get(url).status_code for url in urls] == [404, 404]
        assert client.post(reverse("exports:retry", args=[export.pk])).status_code == 404
        assert "全部申报材料" not in client.get(reverse("exports:list")).content.decode()
    client.force_login(applications[0].created_by)  # the county that filed it
    assert [client.get(url).status_code for url in urls] == [403, 403]
    assert client.get(reverse("exports:list")).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("exports:start"), {"round": round_.pk, "kind": ExportKind.ROUND_ZIP}
        )
    assert response.status_code == 403
    assert Export.objects.count() == 1


# --- one application (the city's application page) --------------------------------------------


def test_one_applications_package_is_built_in_the_background(
    tasks, client, city, filed, django_capture_on_commit_callbacks
):
    round_, (first, _second) = filed
    client.force_login(city)
    page = client.get(reverse("intake:application", args=[first.pk])).content.decode()
    assert "生成电子版（ZIP，含 PDF）" in page
    assert "生成附件2 PDF" in page
    with django_capture_on_commit_callbacks(execute=True):
        export = start_export(
            city, round_, ExportKind.APPLICATION_ZIP, {"application": first.pk, "pdf": False}
        )
    tasks.work()
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE, export.message
    assert "甲模具产业集群" in export.file_name
    archive = zipfile.ZipFile(jobs.export_dir() / export.file_path)
    assert any(name.endswith("产业链图谱.pdf") for name in archive.namelist())
    assert not any("乙纺织" in name for name in archive.namelist())


def test_an_application_of_another_round_or_no_id_is_refused(client, city, filed):
    round_, _ = filed
    elsewhere = make_application(cluster_name="己他轮产业集群", path=SUBMITTED)
    client.force_login(city)
    for application in (str(elsewhere.pk), "abc", "99999999999"):
        response = client.post(
            reverse("exports:start"),
            {"round": round_.pk, "kind": "application_pdf", "application": application},
        )
        assert "未导出：没有找到该申报。" in client.get(response.url).content.decode()
    assert Export.objects.count() == 0


def test_an_export_stuck_in_the_worker_for_hours_may_be_retried(
    tasks, client, city, filed, django_capture_on_commit_callbacks
):
    round_, _ = filed
    export = queue_zip(city, round_, django_capture_on_commit_callbacks)
    tasks.work()  # the first run finishes; pretend instead a worker died 生成中
    Export.objects.filter(pk=export.pk).update(
        status=ExportStatus.RUNNING, started_at=timezone.now() - dt.timedelta(hours=1)
    )
    client.force_login(city)
    client.post(reverse("exports:retry", args=[export.pk]))
    export.refresh_from_db()
    assert export.status == ExportStatus.RUNNING  # an hour is not stuck: left alone
    assert "重试</button>" not in client.get(reverse("exports:list")).content.decode()
    Export.objects.filter(pk=export.pk).update(started_at=timezone.now() - dt.timedelta(hours=5))
    assert "重试</button>" in client.get(reverse("exports:list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exports:retry", args=[export.pk]))
    tasks.work()
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
