"""A real S3-compatible server for the tests: moto's server mode (``python -m moto.server``) in a
process of its own on a free port of 127.0.0.1, spoken to over HTTP by django-storages and
boto3 exactly as a MinIO or a cloud's S3 would be (not moto's in-process mock, which patches
botocore). One server per test session; each test gets a bucket of its own (a random name: two
test runs at once could even share a server without meeting).

In CI (CI=true) a missing moto fails the tests; locally they are skipped, naming the package.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from clusterdesk.conf import storages_from_env

ACCESS_KEY = "clusterdesk-test"
SECRET_KEY = "clusterdesk-test-secret"  # moto takes any key; the URL carries it as in production
REGION = "us-east-1"
START_TIMEOUT_S = 30
MISSING = "未安装 moto[server]（S3 兼容服务器）：请运行 pip install 'moto[server]>=5.1,<6'"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(endpoint: str) -> bool:
    try:
        with urllib.request.urlopen(endpoint + "/moto-api/", timeout=1):
            return True
    except urllib.error.HTTPError:
        return True  # it answered
    except OSError:
        return False


def _listens(process: subprocess.Popen, port: int) -> bool:
    """Whether ``process`` itself holds the listening socket on ``port``: two test runs at once
    (CI's SQLite and PostgreSQL suites) could pick the same free port, and the other run's
    server answering there must not be taken for ours. Where /proc cannot tell, yes."""
    try:
        sockets = {os.readlink(fd) for fd in Path(f"/proc/{process.pid}/fd").iterdir()}
        table = Path("/proc/net/tcp").read_text().splitlines()[1:]
    except OSError:
        return True
    for line in table:
        fields = line.split()
        if (
            fields[3] == "0A"  # LISTEN
            and int(fields[1].rsplit(":", 1)[1], 16) == port
            and f"socket:[{fields[9]}]" in sockets
        ):
            return True
    return False


def start_server() -> tuple[subprocess.Popen, str]:
    if importlib.util.find_spec("moto") is None or importlib.util.find_spec("flask") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(MISSING + "（CI 中不允许跳过）")
        pytest.skip(MISSING)
    for _ in range(3):  # a port taken between the probe and the server's bind: try another
        port = _free_port()
        endpoint = f"http://127.0.0.1:{port}"
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline and process.poll() is None:
            if _answers(endpoint) and _listens(process, port):
                return process, endpoint
            time.sleep(0.1)
        process.kill()
        process.wait()
    pytest.fail(f"S3 兼容服务器（moto）未能在 {START_TIMEOUT_S} 秒内启动。")


@dataclass
class Bucket:
    """One test's bucket, with a client to look at (and tamper with) its objects directly."""

    endpoint: str
    name: str
    prefix: str = "clusterdesk"

    @property
    def url(self) -> str:
        return (
            f"s3://{ACCESS_KEY}:{SECRET_KEY}@{self.name}/{self.prefix}"
            f"?endpoint_url={self.endpoint}&region={REGION}"
        )

    def storages(self) -> dict:
        return storages_from_env({"CLUSTERDESK_STORAGE_URL": self.url})

    def client(self):
        import boto3  # noqa: PLC0415 - only where the server runs

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def key(self, store: str, name: str) -> str:
        """The object key of ``name`` in store ``media`` or ``exports``."""
        return f"{self.prefix}/{store}/{name}"

    def object_keys(self) -> list[str]:
        listed = self.client().list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client().get_object(Bucket=self.name, Key=key)["Body"].read()

    def write(self, key: str, content: bytes) -> None:
        self.client().put_object(Bucket=self.name, Key=key, Body=content)

    def delete(self, key: str) -> None:
        self.client().delete_object(Bucket=self.name, Key=key)


@pytest.fixture(scope="session")
def s3_endpoint():
    process, endpoint = start_server()
    try:
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def s3_bucket(s3_endpoint, settings):
    """A fresh bucket, and ``STORAGES`` pointing at it for this test."""
    bucket = Bucket(s3_endpoint, f"cd-test-{uuid.uuid4().hex[:16]}")
    bucket.client().create_bucket(Bucket=bucket.name)
    settings.STORAGES = bucket.storages()
    return bucket


@contextmanager
def requests_to(*storages) -> Iterator[list[str]]:
    """The S3 operations (``GetObject``, ``HeadObject``…) the given stores send while the block
    runs, in order, as botocore is about to send them (on this thread's connection)."""
    sent: list[str] = []

    def record(model, **_):
        sent.append(model.name)

    events = [storage.connection.meta.client.meta.events for storage in storages]
    for emitter in events:
        emitter.register("before-call.s3", record, unique_id="clusterdesk-test-count")
    try:
        yield sent
    finally:
        for emitter in events:
            emitter.unregister("before-call.s3", unique_id="clusterdesk-test-count")
