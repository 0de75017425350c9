"""A register names only files given to its application: the cross-county leak through the Word
import, and every way a file could be reached through a hash learnt elsewhere."""

import hashlib
import json
import re
import zipfile

import pytest
from django.urls import reverse

from clusterdesk.county.domain.documents import county_package
from clusterdesk.declarations.domain.editing import Change, save_changes
from clusterdesk.declarations.models import Application
from clusterdesk.documents.attachment2_render import render_attachment2
from clusterdesk.evidence.domain.uploads import upload_evidence
from clusterdesk.evidence.models import Upload
from clusterdesk.form.example import example_application
from clusterdesk.form.schema.common import EvidenceFile
from tests.declarations.county_world import make_world
from tests.evidence import samples

pytestmark = pytest.mark.django_db

PATH = "part2.chain_map"
SECRET_NAME = "他县产业链图谱-内部.png"


@pytest.fixture
def world():
    """The other county has a file on record; the own county knows its hash (it is printed in
    the other county's Attachment 2 appendix)."""
    world = make_world()
    secret = samples.png()
    upload_evidence(
        world.other_application, PATH, [samples.upload(SECRET_NAME, secret)], world.other_county
    )
    world.secret = secret
    world.secret_sha = hashlib.sha256(secret).hexdigest()
    return world


def naming(sha256: str, size: int) -> bytes:
    """An Attachment 2 whose appendix lists the other county's file under 产业链图谱."""
    form = example_application()
    form.evidence[PATH] = [EvidenceFile(name="图谱<script>\u202e.png", sha256=sha256, size=size)]
    return render_attachment2(form)


def import_into(client, world, content: bytes):
    client.force_login(world.own)
    url = reverse("county:import_into", args=[world.application.pk])
    seen = client.get(url).context["seen"]
    return client.post(url, {"file": samples.upload("申报表.docx", content), "seen": seen})


def test_an_import_naming_another_countys_hash_reaches_nothing(client, world, tmp_path):
    response = import_into(client, world, naming(world.secret_sha, len(world.secret)))
    assert response.status_code == 200
    page = response.content.decode()

    # The register took nothing from the document; the file is listed for the officer to upload,
    # its name cleaned like an upload's (no markup, no bidi control).
    application = Application.objects.get(pk=world.application.pk)
    assert world.secret_sha not in json.dumps(application.data)
    assert not Upload.objects.filter(application=application).exists()
    assert "文档中列出的佐证材料" in page
    assert "图谱_script_ .png" in page
    assert "\u202e" not in page

    # The download answers 404, as for any unknown hash; the package has no such file.
    download = reverse("evidence:download", args=[world.application.pk, world.secret_sha])
    assert client.get(download).status_code == 404
    result = county_package(world.own, world.round, tmp_path / "package.zip")
    with zipfile.ZipFile(tmp_path / "package.zip") as archive:
        contents = [archive.read(name) for name in archive.namelist()]
    assert world.secret not in contents
    assert all(record.recorded_sha256 != world.secret_sha for record in result.evidence)


def test_a_register_that_names_a_foreign_file_still_opens_nothing(client, world, tmp_path):
    """Defence in depth: a register entry that reached the data some other way (an old import,
    a repair by hand) gives no access without an upload of that file to that application."""
    application = world.application
    data = dict(application.data)
    data["evidence"] = {PATH: [{"name": "x.png", "sha256": world.secret_sha, "size": 1}]}
    Application.objects.filter(pk=application.pk).update(data=data)

    client.force_login(world.own)
    download = reverse("evidence:download", args=[application.pk, world.secret_sha])
    assert client.get(download).status_code == 404
    result = county_package(world.own, world.round, tmp_path / "package.zip")
    with zipfile.ZipFile(tmp_path / "package.zip") as archive:
        assert world.secret not in [archive.read(name) for name in archive.namelist()]
    named = [r for r in result.evidence if r.recorded_sha256 == world.secret_sha]
    assert [record.status for record in named] == ["missing"]


def test_uploading_the_same_content_gives_the_county_its_own_access(client, world):
    """Storage is shared by content, access is not: the own county uploads the same bytes and
    reaches them through its own application only."""
    upload_evidence(world.application, PATH, [samples.upload("图谱.png", world.secret)], world.own)
    client.force_login(world.own)
    own = reverse("evidence:download", args=[world.application.pk, world.secret_sha])
    other = reverse("evidence:download", args=[world.other_application.pk, world.secret_sha])
    assert client.get(own).status_code == 200
    assert client.get(other).status_code == 404
    assert Upload.objects.filter(blob_id=world.secret_sha).count() == 2


def test_the_response_does_not_tell_whether_a_hash_exists(client, world):
    """A known hash and a random one answer alike: the import result and the download."""
    unknown = hashlib.sha256(b"nobody uploaded this").hexdigest()
    pages = []
    for sha256 in (world.secret_sha, unknown):
        response = import_into(client, world, naming(sha256, 10))
        page = response.content.decode().replace(sha256, "<hash>")
        page = re.sub(r'name="token" value="[^"]+"', "", page)  # the preview's own token
        pages.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page))
        download = reverse("evidence:download", args=[world.application.pk, sha256])
        assert client.get(download).status_code == 404
    assert pages[0] == pages[1]


def test_a_package_still_carries_the_countys_own_files(world, tmp_path):
    upload_evidence(
        world.application, PATH, [samples.upload("本县图谱.pdf", samples.PDF)], world.own
    )
    county_package(world.own, world.round, tmp_path / "package.zip")
    with zipfile.ZipFile(tmp_path / "package.zip") as archive:
        contents = [archive.read(name) for name in archive.namelist()]
    assert samples.PDF in contents


@pytest.mark.parametrize("path", ["evidence", "evidence.part2.chain_map"])
def test_autosave_cannot_write_the_register(world, path):
    entry = [{"name": "x.png", "sha256": world.secret_sha, "size": 1}]
    value = {"part2.chain_map": entry} if path == "evidence" else entry
    result = save_changes(world.application, [Change(path, value, None)], world.own)
    assert result.applied == []
    assert path in result.invalid
    assert world.secret_sha not in json.dumps(Application.objects.get(pk=world.application.pk).data)
