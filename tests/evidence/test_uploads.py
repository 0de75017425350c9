import hashlib

import pytest

from clusterdesk.declarations.domain.editing import EditRefused
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.evidence.domain.register import entry_for, files_at, register_by_part
from clusterdesk.evidence.domain.uploads import upload_evidence
from clusterdesk.evidence.models import Blob
from clusterdesk.shared.blobstore import default_store
from tests import factories
from tests.evidence import samples

pytestmark = pytest.mark.django_db

PATH = "part2.chain_map"


def test_an_upload_is_stored_registered_and_bumps_the_version():
    application = factories.make_application()
    officer = application.created_by
    before = application.version
    content = samples.PDF
    result = upload_evidence(
        application, PATH, [samples.upload("产业链图谱.pdf", content)], officer
    )
    sha = hashlib.sha256(content).hexdigest()
    assert result.added == ["产业链图谱.pdf"]
    assert result.refused == []
    assert result.version == before + 1
    application.refresh_from_db()
    assert application.version == before + 1
    assert {"name": "产业链图谱.pdf", "sha256": sha, "size": len(content)} in files_at(
        application, PATH
    )
    blob = Blob.objects.get(sha256=sha)
    assert (blob.size, blob.kind, blob.content_type) == (len(content), "pdf", "application/pdf")
    assert blob.created_by == officer
    with default_store().open(sha) as file:
        assert file.read() == content


def test_refused_files_do_not_stop_the_others():
    application = factories.make_application()
    files = [
        samples.upload("图谱.pdf", samples.PDF),
        samples.upload("病毒.pdf", samples.EXE),
        samples.upload("空.png", b""),
        samples.upload("清单.xlsx", samples.xlsx_bytes()),
    ]
    result = upload_evidence(application, PATH, files, application.created_by)
    assert result.added == ["图谱.pdf", "清单.xlsx"]
    assert len(result.refused) == 2
    assert "“病毒.pdf”的文件内容与扩展名不符" in result.refused[0]
    assert "“空.png”是空文件" in result.refused[1]
    assert Blob.objects.count() == 2


def test_the_same_file_twice_in_one_item_is_registered_once():
    application = factories.make_application()
    officer = application.created_by
    upload_evidence(application, PATH, [samples.upload("图谱.pdf", samples.PDF)], officer)
    version = application.version
    result = upload_evidence(application, PATH, [samples.upload("副本.pdf", samples.PDF)], officer)
    assert result.added == []
    assert result.refused == ["“副本.pdf”已在本栏目的佐证材料中，未重复上传。"]
    assert result.version == version
    assert [e["name"] for e in files_at(application, PATH) if e.get("sha256")] == ["图谱.pdf"]


def test_one_blob_serves_two_counties_but_each_keeps_its_name():
    first = factories.make_application()
    second = factories.make_application()
    upload_evidence(first, PATH, [samples.upload("甲.pdf", samples.PDF)], first.created_by)
    upload_evidence(second, PATH, [samples.upload("乙.pdf", samples.PDF)], second.created_by)
    sha = hashlib.sha256(samples.PDF).hexdigest()
    assert Blob.objects.get().created_by == first.created_by
    assert entry_for(first, sha)["name"] == "甲.pdf"
    assert entry_for(second, sha)["name"] == "乙.pdf"


def test_names_reported_by_the_size_handler_are_refused(settings):
    settings.CLUSTERDESK_EVIDENCE_MAX_MB = 5
    application = factories.make_application()
    result = upload_evidence(
        application, PATH, [], application.created_by, too_large=["C:\\扫描\\大文件.pdf"]
    )
    assert result.refused == ["“大文件.pdf”超过了每个文件 5 MB 的上限，未上传。"]


@pytest.mark.parametrize(
    "path",
    [(ApplicationState.SUBMITTED,), (ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW)],
)
def test_nothing_is_stored_once_the_application_is_not_editable(path, media_root):
    application = factories.make_application(path=path)
    with pytest.raises(EditRefused, match="不能修改"):
        upload_evidence(
            application, PATH, [samples.upload("图谱.pdf", samples.PDF)], application.created_by
        )
    assert not Blob.objects.exists()
    assert not (media_root / "evidence").exists()


def test_a_returned_application_takes_evidence_again():
    application = factories.make_application(
        path=(ApplicationState.SUBMITTED, ApplicationState.RETURNED)
    )
    result = upload_evidence(
        application, PATH, [samples.upload("补充.pdf", samples.PDF)], application.created_by
    )
    assert result.added == ["补充.pdf"]


def test_only_form_items_take_evidence():
    application = factories.make_application()
    with pytest.raises(EditRefused, match="不在申报表中"):
        upload_evidence(
            application,
            "part2.no_such",
            [samples.upload("a.pdf", samples.PDF)],
            application.created_by,
        )


def test_the_register_groups_items_by_part_with_official_labels():
    application = factories.make_application(data={})
    officer = application.created_by
    upload_evidence(
        application, "part5.carbon_work", [samples.upload("碳.pdf", samples.PDF)], officer
    )
    upload_evidence(application, PATH, [samples.upload("图谱.png", samples.png())], officer)
    shared = "part2.resource_sharing_work.shared_manufacturing"
    upload_evidence(application, shared, [samples.upload("协议.docx", samples.DOC_X)], officer)
    parts = register_by_part(application)
    assert [part.title for part in parts] == ["二、主导产业情况", "五、绿色化转型情况"]
    first, second = parts[0].items
    assert (first.path, first.label) == (PATH, "集群是否绘制产业链图谱")
    assert [f["name"] for f in first.files] == ["图谱.png"]
    assert second.path == shared
    assert second.label.startswith("集群已开展的制造资源共享工作·")
    assert parts[1].file_count == 1
