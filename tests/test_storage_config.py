"""CLUSTERDESK_STORAGE_URL: unset keeps the local directories; an s3:// URL names one bucket of
S3-compatible storage; anything malformed refuses to start with a Chinese message that names the
variable and never repeats the secret key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from clusterdesk.conf import ConfigError, storages_from_env

REPO = Path(__file__).resolve().parents[1]


def test_unset_keeps_the_local_directories():
    stores = storages_from_env({})
    assert stores["default"]["BACKEND"] == "clusterdesk.shared.storage.MediaRootStorage"
    assert stores["exports"]["BACKEND"] == "clusterdesk.shared.storage.ExportDirStorage"
    assert storages_from_env({"CLUSTERDESK_STORAGE_URL": "  "}) == stores


def test_an_s3_url_names_the_bucket_prefix_endpoint_and_keys():
    url = (
        "s3://AKID:se%2Fcret@clusterdesk-files/prod?endpoint_url=https://minio.internal:9000"
        "&region=cn-east-1&verify=0"
    )
    stores = storages_from_env({"CLUSTERDESK_STORAGE_URL": url})
    media, exports = stores["default"], stores["exports"]
    assert media["BACKEND"] == exports["BACKEND"] == "storages.backends.s3.S3Storage"
    options = media["OPTIONS"]
    assert options["bucket_name"] == "clusterdesk-files"
    assert (options["location"], exports["OPTIONS"]["location"]) == ("prod/media", "prod/exports")
    assert options["endpoint_url"] == "https://minio.internal:9000"
    assert options["region_name"] == "cn-east-1"
    assert options["addressing_style"] == "path"  # a self-hosted endpoint: path-style
    assert options["verify"] is False
    assert (options["access_key"], options["secret_key"]) == ("AKID", "se/cret")
    assert options["default_acl"] is None  # private: nothing is served from the bucket


def test_without_keys_in_the_url_boto3_finds_them_itself():
    options = storages_from_env({"CLUSTERDESK_STORAGE_URL": "s3://files"})["default"]["OPTIONS"]
    assert "access_key" not in options
    assert options["location"] == "media"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("ftp://files", "只支持 s3://"),
        ("s3://Files", "存储桶名称无效"),
        ("s3://files:9000", "存储桶名称无效"),
        ("s3://", "存储桶名称无效"),
        ("s3://files?endpoint=http://x", "不认识的参数“endpoint”"),
        ("s3://files?endpoint_url=minio:9000", "endpoint_url 应为"),
        ("s3://files?region=", "参数“region”应给出一次且不能为空"),
        ("s3://files?addressing_style=sideways", "addressing_style 应为"),
        ("s3://files?verify=maybe", "verify 应为 1 或 0"),
        ("s3://onlykey@files", "访问密钥应写作"),
        ("s3://files/a/../b", "前缀不能"),
    ],
)
def test_a_malformed_url_is_refused_in_chinese(url, problem):
    with pytest.raises(ConfigError, match="CLUSTERDESK_STORAGE_URL") as refused:
        storages_from_env({"CLUSTERDESK_STORAGE_URL": url})
    assert problem in str(refused.value)


def test_the_refusal_never_repeats_the_secret_key():
    with pytest.raises(ConfigError) as refused:
        storages_from_env({"CLUSTERDESK_STORAGE_URL": "s3://AKID:TOPSECRET@files?bogus=1"})
    assert "TOPSECRET" not in str(refused.value)
    assert "AKID" not in str(refused.value)


def test_manage_py_refuses_to_start_with_exit_code_2_and_no_traceback():
    env = {**os.environ, "CLUSTERDESK_STORAGE_URL": "s3://KEY:TOPSECRET@Not_A_Bucket"}
    result = subprocess.run(
        [sys.executable, str(REPO / "manage.py"), "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("拒绝启动：环境变量 CLUSTERDESK_STORAGE_URL")
    assert "Traceback" not in result.stderr
    assert "TOPSECRET" not in result.stderr
