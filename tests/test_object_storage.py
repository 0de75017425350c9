"""Uploaded evidence and generated files in S3-compatible object storage (CLUSTERDESK_STORAGE_URL)
as well as in the local directories: the same tests on both, the S3 side against a real server
over HTTP (tests/s3.py). An evidence file goes up through the widget and comes back through the
download; one changed in the store is refused with the Chinese integrity message, one gone is a
404; the whole round's export is built by the worker with the evidence read from the store,
lands in the store, downloads, is refused once changed and said gone once removed; /readyz checks
the configured store. On S3: an object is read with one GET into one verified copy that spills
to disk, and the exports list makes no request to the store per row.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tracemalloc
import uuid
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from django.urls import reverse

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.workflow import transition
from clusterdesk.evidence.domain.uploads import upload_evidence
from clusterdesk.exports.domain.jobs import start_export
from clusterdesk.exports.models import Export, ExportKind, ExportStatus
from clusterdesk.shared.storage import (
    SPOOL_BYTES,
    StoredFileCorrupt,
    StoredFileIncomplete,
    StoredFileMissing,
    export_storage,
    media_storage,
    open_verified,
)
from tests import factories
from tests.evidence import samples
from tests.queues import Queue
from tests.s3 import requests_to

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
    # Gone: the list still links it (it asks the database only), the download says so.
    files.delete("exports", export.file_path)
    assert client.get(reverse("exports:status", args=[export.pk])).json()["download"]
    response = client.get(reverse("exports:download", args=[export.pk]))
    assert response.status_code == 410
    assert "导出文件已不在文件存储中" in response.content.decode()
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


# --- reading an object: one GET, into one verified copy ---------------------------------------


def test_an_object_is_read_with_one_request_and_what_is_handed_out_is_verified(s3_bucket):
    storage = media_storage()
    s3_bucket.write(s3_bucket.key("media", "kept/a.pdf"), samples.PDF)
    with requests_to(storage) as sent, open_verified(storage, "kept/a.pdf", PDF_SHA) as file:
        assert file.read() == samples.PDF
    # No HEAD before, no second download into django-storages' own temporary file.
    assert sent == ["GetObject"]

    # The same size, other bytes: only the SHA-256 over the bytes read tells.
    s3_bucket.write(s3_bucket.key("media", "kept/a.pdf"), samples.PDF[:-4] + b"XXXX")
    with pytest.raises(StoredFileCorrupt):
        open_verified(storage, "kept/a.pdf", PDF_SHA)
    # Cut: with the size recorded, refused as no whole file, before it is read.
    s3_bucket.write(s3_bucket.key("media", "kept/a.pdf"), samples.PDF[:100])
    with pytest.raises(StoredFileIncomplete):
        open_verified(storage, "kept/a.pdf", PDF_SHA, size=len(samples.PDF))
    s3_bucket.delete(s3_bucket.key("media", "kept/a.pdf"))
    with pytest.raises(StoredFileMissing):
        open_verified(storage, "kept/a.pdf", PDF_SHA)


def test_a_large_object_is_served_whole_spilling_to_disk_not_memory(s3_bucket):
    storage = export_storage()
    size = 6 * SPOOL_BYTES  # 24 MiB
    content = os.urandom(size)
    sha256 = hashlib.sha256(content).hexdigest()
    s3_bucket.write(s3_bucket.key("exports", "big.zip"), content)
    del content
    # Once before measuring: the first request loads boto3's S3 model, megabytes of its own.
    assert storage.size("big.zip") == size
    tracemalloc.start()
    try:
        with open_verified(storage, "big.zip", sha256, size=size) as file:
            _, peak = tracemalloc.get_traced_memory()
            assert file._rolled  # the copy is a temporary file, not a buffer in memory
            served = hashlib.sha256()
            while chunk := file.read(1 << 20):
                served.update(chunk)
    finally:
        tracemalloc.stop()
    assert served.hexdigest() == sha256
    assert peak < 2 * SPOOL_BYTES, f"peak {peak} bytes for a {size}-byte object"


def test_the_export_list_asks_the_store_nothing_per_row(s3_bucket, client):
    city = factories.make_city_officer()
    round_ = factories.make_round()
    storage = export_storage()
    contents = [bytes([n]) * (2048 * (n + 1)) for n in range(6)]
    exports = []
    for n, content in enumerate(contents):
        storage.save(f"{n}.xlsx", ContentFile(content))
        exports.append(
            Export.objects.create(
                user=city,
                round=round_,
                kind=ExportKind.INBOX_XLSX,
                file_name=f"{n}.xlsx",
                status=ExportStatus.DONE,
                file_path=f"{n}.xlsx",
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
            )
        )
    client.force_login(city)
    with requests_to(storage, media_storage()) as sent:
        page = client.get(reverse("exports:list")).content.decode()
        states = [client.get(reverse("exports:status", args=[e.pk])).json() for e in exports]
    assert sent == []  # neither the list nor the progress looks at the store
    for export in exports:
        assert reverse("exports:download", args=[export.pk]) in page
    # The sizes recorded when each file was made, newest first.
    sizes = re.findall(r'download>下载</a> <span class="muted">([^，]+)，', page)
    assert [size.replace("\xa0", " ") for size in sizes] == [
        f"{2 * n}.0 KB" for n in range(6, 0, -1)
    ]
    assert all(state["download"] for state in states)

    # The download reads the file: one request, and a file gone is said so in Chinese.
    with requests_to(storage) as sent:
        response = client.get(reverse("exports:download", args=[exports[2].pk]))
        assert b"".join(response.streaming_content) == contents[2]
    assert sent == ["GetObject"]
    s3_bucket.delete(s3_bucket.key("exports", "3.xlsx"))
    response = client.get(reverse("exports:download", args=[exports[3].pk]))
    assert response.status_code == 410
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "导出文件已不在文件存储中" in response.content.decode()
