"""Uploaded evidence and generated files in S3-compatible object storage (CLUSTERDESK_STORAGE_URL)
as well as in the local directories: the same tests on both, the S3 side against a real server
over HTTP (tests/s3.py). An evidence file goes up through the widget and comes back through the
download; one changed in the store is refused with the Chinese integrity message, one gone is a
404; the whole round's export is built by the worker with the evidence read from the store,
lands in the store, downloads, and is refused once changed; /readyz checks the configured store.
"""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.workflow import transition
from clusterdesk.evidence.domain.uploads import upload_evidence
from clusterdesk.exports.domain.jobs import start_export
from clusterdesk.exports.models import Export, ExportKind, ExportStatus
from tests import factories
from tests.evidence import samples
from tests.queues import Queue

pytestmark = pytest.mark.django_db

PATH = "part2.chain_map"
PDF_SHA = hashlib.sha256(samples.PDF).hexdigest()
INTEGRITY = "该佐证材料的文件校验失败，可能已损坏，请联系系统管理员。"


class LocalFiles:
    """The embedded default: MEDIA_ROOT and CLUSTERDESK_EXPORT_DIR under the test's tmp_path."""

    def __init__(self, root: Path) -> None:
        self.roots = {"media": root / "media", "exports": root / "exports"}

    def path(self, store: str, name: str) -> Path:
        return self.roots[store] / name

    def read(self, store: str, name: str) -> bytes:
        return self.path(store, name).read_bytes()

    def write(self, store: str, name: str, content: bytes) -> None:
        self.path(store, name).write_bytes(content)

    def delete(self, store: str, name: str) -> None:
        self.path(store, name).unlink()

    def names(self, store: str) -> list[str]:
        root = self.roots[store]
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


class BucketFiles:
    """A bucket of the S3 server, read and changed directly, behind the app's back."""

    def __init__(self, bucket, local_root: Path) -> None:
        self.bucket = bucket
        self.local = LocalFiles(local_root)

    def read(self, store: str, name: str) -> bytes:
        return self.bucket.read(self.bucket.key(store, name))

    def write(self, store: str, name: str, content: bytes) -> None:
        self.bucket.write(self.bucket.key(store, name), content)

    def delete(self, store: str, name: str) -> None:
        self.bucket.delete(self.bucket.key(store, name))

    def names(self, store: str) -> list[str]:
        prefix = self.bucket.key(store, "")
        return [key[len(prefix) :] for key in self.bucket.object_keys() if key.startswith(prefix)]


@pytest.fixture(params=["local", "s3"])
def files(request, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CLUSTERDESK_EXPORT_DIR = tmp_path / "exports"
    if request.param == "local":
        return LocalFiles(tmp_path)
    return BucketFiles(request.getfixturevalue("s3_bucket"), tmp_path)


def evidence_name(sha256: str) -> str:
    return f"evidence/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def test_evidence_goes_to_the_store_and_comes_back_verified(files, client):
    application = factories.make_application(data={})
    client.force_login(application.created_by)
    response = client.post(
        f"/evidence/{application.pk}/upload/",
        {"path": PATH, "file": [samples.upload("产业链图谱.pdf", samples.PDF)]},
        HTTP_X_EVIDENCE_WIDGET="1",
    )
    assert response.status_code == 200
    assert "已上传“产业链图谱.pdf”。" in response.content.decode()
    assert files.names("media") == [evidence_name(PDF_SHA)]
    assert files.read("media", evidence_name(PDF_SHA)) == samples.PDF
    if isinstance(files, BucketFiles):  # nothing of it on the app server's disk
        assert files.local.names("media") == []

    response = client.get(f"/evidence/{application.pk}/{PDF_SHA}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.PDF
    assert response["Content-Length"] == str(len(samples.PDF))
    assert quote("产业链图谱.pdf") in response["Content-Disposition"]

    # The preview draws the PDF from the store too.
    preview = client.get(f"/evidence/{application.pk}/{PDF_SHA}/?inline=1")
    assert preview.status_code == 200
    assert 'alt="第 1 页"' in preview.content.decode()
    assert "data:image/" in preview.content.decode()

    # Another county's officer reaches nothing, whatever the store.
    stranger = Client()
    stranger.force_login(factories.make_county_officer())  # another unit of its own
    assert stranger.get(f"/evidence/{application.pk}/{PDF_SHA}/").status_code == 404


def test_evidence_changed_in_the_store_is_refused_and_a_lost_one_is_404(files, client):
    application = factories.make_application(data={})
    officer = application.created_by
    upload_evidence(application, PATH, [samples.upload("图谱.pdf", samples.PDF)], officer)
    client.force_login(officer)
    # The same size, other bytes: only the SHA-256 tells.
    changed = samples.PDF[:-4] + b"XXXX"
    files.write("media", evidence_name(PDF_SHA), changed)
    response = client.get(f"/evidence/{application.pk}/{PDF_SHA}/")
    assert response.status_code == 500
    assert response.content.decode() == INTEGRITY
    preview = client.get(f"/evidence/{application.pk}/{PDF_SHA}/?inline=1")
    assert "该佐证材料的文件已丢失或损坏，请联系系统管理员。" in preview.content.decode()
    assert "data:image/png" not in preview.content.decode()

    files.delete("media", evidence_name(PDF_SHA))
    response = client.get(f"/evidence/{application.pk}/{PDF_SHA}/")
    assert response.status_code == 404


@pytest.fixture
def worker():
    queue = Queue("database", f"test-storage-{uuid.uuid4().hex[:12]}")
    with override_settings(**queue.settings()):
        yield queue


def test_the_round_export_is_built_from_the_store_into_the_store(
    files, worker, client, django_capture_on_commit_callbacks
):
    city = factories.make_city_officer()
    round_ = factories.make_round()
    application = factories.make_application(round_=round_, cluster_name="甲模具产业集群")
    upload_evidence(
        application,
        PATH,
        [samples.upload("产业链图谱.pdf", samples.PDF)],
        application.created_by,
    )
    transition(application, S.SUBMITTED, application.created_by)
    with django_capture_on_commit_callbacks(execute=True):
        export = start_export(city, round_, ExportKind.ROUND_ZIP, {"pdf": False})
    worker.work()
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE, export.message
    assert files.names("exports") == [export.file_path]  # whole, under its final name only
    stored = files.read("exports", export.file_path)
    assert hashlib.sha256(stored).hexdigest() == export.sha256

    client.force_login(city)
    state = client.get(reverse("exports:status", args=[export.pk])).json()
    assert state["download"] == reverse("exports:download", args=[export.pk])
    response = client.get(reverse("exports:download", args=[export.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content == stored
    archive = zipfile.ZipFile(io.BytesIO(content))
    (package,) = [name for name in archive.namelist() if name.endswith(".zip")]
    inner = zipfile.ZipFile(io.BytesIO(archive.read(package)))
    (evidence,) = [name for name in inner.namelist() if name.endswith("产业链图谱.pdf")]
    assert inner.read(evidence) == samples.PDF  # read from the store, verified
    manifest = next(name for name in inner.namelist() if name.endswith("manifest.json"))
    missing = json.loads(inner.read(manifest))["missing_evidence"]
    assert missing  # the factory's form names files never uploaded: listed as missing...
    assert not [item for item in missing if PDF_SHA in json.dumps(item)]  # ...the stored one not

    # Changed in the store (same size): refused with the Chinese message, not served.
    files.write("exports", export.file_path, b"\0" * len(stored))
    response = client.get(reverse("exports:download", args=[export.pk]))
    assert response.status_code == 500
    assert "导出文件校验失败" in response.content.decode()
    # Gone: no link, 404.
    files.delete("exports", export.file_path)
    assert client.get(reverse("exports:status", args=[export.pk])).json()["download"] is None
    assert client.get(reverse("exports:download", args=[export.pk])).status_code == 404
    assert Export.objects.get(pk=export.pk).status == ExportStatus.DONE


def test_readiness_probes_the_configured_store(files):
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert json.loads(response.content)["checks"]["storage"] == "ok"
    assert files.names("media") == files.names("exports") == []  # the probes are deleted


def test_a_bucket_that_cannot_be_reached_makes_the_server_not_ready(s3_bucket, settings):
    storages = s3_bucket.storages()
    for alias in ("default", "exports"):
        storages[alias]["OPTIONS"]["bucket_name"] = "cd-no-such-bucket"
    settings.STORAGES = storages
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["checks"]["storage"] == "文件存储无法读写"
    assert "cd-no-such-bucket" not in response.content.decode()  # names go to the log only
