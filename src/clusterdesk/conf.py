"""Reading settings from the environment.

Kept apart from ``settings.py`` so that the parsing rules are plain functions that tests can call
with any mapping, instead of re-importing the settings module under a patched environment.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """An environment variable holds a value the platform cannot use."""


def env_bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"环境变量 {name} 应为 1/0、true/false、yes/no 或 on/off，当前为 {raw!r}")


def env_int(environ: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(f"环境变量 {name} 应为整数，当前为 {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"环境变量 {name} 不能小于 {minimum}，当前为 {value}")
    return value


def env_list(environ: Mapping[str, str], name: str, default: list[str]) -> list[str]:
    raw = environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def default_sqlite_url(var_dir: Path) -> str:
    return f"sqlite:///{var_dir / 'clusterdesk.sqlite3'}"


def database_from_env(environ: Mapping[str, str], var_dir: Path) -> dict[str, Any]:
    """The ``DATABASES["default"]`` entry: ``DATABASE_URL`` if set, else SQLite under var_dir."""
    url = environ.get("DATABASE_URL", "").strip() or default_sqlite_url(var_dir)
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ConfigError(f"环境变量 DATABASE_URL 无法识别：{exc}") from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Persistent connections buy nothing for a local file and keep it locked longer.
        config["CONN_MAX_AGE"] = 0
        # Two overlapping saves (two tabs, an autosave beside an upload) must wait for each
        # other, not fail with "database is locked": take the write lock when a transaction
        # starts, wait up to 20 s for it, and let readers carry on beside a writer (WAL).
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config


# Largest number of entries of a file or memory cache: the login counts of a busy attack fit
# (a few thousand keys), and culling — which drops entries at random, locks included — stays
# rare. Redis needs no such limit.
CACHE_MAX_ENTRIES = 20_000


def cache_from_env(environ: Mapping[str, str], var_dir: Path) -> dict[str, Any]:
    """The ``CACHES["default"]`` entry from ``CLUSTERDESK_CACHE_URL``.

    Unset: files under ``var_dir/cache``, which every server process on the host shares (the
    login limits must count across processes). ``redis://`` / ``rediss://``: a Redis server,
    for several hosts (needs the ``redis`` package). ``file:///path``: files elsewhere.
    ``locmem://``: memory of one process, for development only.
    """
    url = environ.get("CLUSTERDESK_CACHE_URL", "").strip()
    files = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache"}
    limits = {"OPTIONS": {"MAX_ENTRIES": CACHE_MAX_ENTRIES}}
    if not url:
        return {**files, "LOCATION": str(var_dir / "cache"), **limits}
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme in ("redis", "rediss"):
        if importlib.util.find_spec("redis") is None:  # else every login would fail with a 500
            raise ConfigError(
                "环境变量 CLUSTERDESK_CACHE_URL 指向 Redis，但未安装 redis 包："
                "请运行 pip install 'redis>=5,<7'"
            )
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "file" and url[len("file://") :].startswith("/"):
        return {**files, "LOCATION": url[len("file://") :], **limits}
    if scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": url[len("locmem://") :] or "clusterdesk",
            **limits,
        }
    raise ConfigError(
        "环境变量 CLUSTERDESK_CACHE_URL 应为 redis://主机:端口/库号、file:///绝对路径 或 "
        f"locmem://，当前为 {url!r}"
    )


_SMTP_SCHEMES = {
    "smtp": (25, False, False),
    "smtp+tls": (587, True, False),
    "smtps": (465, False, True),
}


def email_from_env(environ: Mapping[str, str], var_dir: Path) -> dict[str, Any]:
    """The ``EMAIL_*`` settings from ``CLUSTERDESK_EMAIL_URL``.

    Unset: each e-mail is written as a file under ``var_dir/mail`` (nothing leaves the machine,
    and what would have been sent can be read). ``smtp://user:password@host:25``,
    ``smtp+tls://…:587`` (STARTTLS) or ``smtps://…:465`` (TLS): a mail server.
    ``console://``: printed to stdout. ``file:///path``: files elsewhere.
    """
    url = environ.get("CLUSTERDESK_EMAIL_URL", "").strip()
    settings: dict[str, Any] = {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(var_dir / "mail"),
        "EMAIL_HOST": "localhost",
        "EMAIL_PORT": 25,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
    }
    if not url:
        return settings
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme == "console":
        return {**settings, "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "file" and url[len("file://") :].startswith("/"):
        return {**settings, "EMAIL_FILE_PATH": url[len("file://") :]}
    if scheme in _SMTP_SCHEMES:
        parts = urlsplit(url)
        try:
            port = parts.port
        except ValueError:
            port = -1
        if not parts.hostname or port == -1:
            raise ConfigError(
                f"环境变量 CLUSTERDESK_EMAIL_URL 缺少邮件服务器地址或端口无效：{url!r}"
            )
        default_port, tls, ssl = _SMTP_SCHEMES[scheme]
        return {
            **settings,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": port or default_port,
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": tls,
            "EMAIL_USE_SSL": ssl,
        }
    raise ConfigError(
        "环境变量 CLUSTERDESK_EMAIL_URL 应为 smtp://用户:密码@主机:端口、smtp+tls://…、smtps://…、"
        f"console:// 或 file:///绝对路径，当前为 {url!r}"
    )


# The query parameters CLUSTERDESK_STORAGE_URL takes, and django-storages' option for each.
_S3_PARAMETERS = {
    "endpoint_url": "endpoint_url",
    "region": "region_name",
    "addressing_style": "addressing_style",
    "verify": "verify",
}
_S3_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
STORAGE_HELP = (
    "应为 s3://存储桶[/前缀][?endpoint_url=http(s)://主机:端口&region=区域"
    "&addressing_style=path|virtual&verify=1|0]（访问密钥可写作 s3://密钥ID:密钥@存储桶，"
    "或用环境变量 AWS_ACCESS_KEY_ID、AWS_SECRET_ACCESS_KEY）；不设置则使用本地目录"
)


def _storage_refusal(problem: str, url: str) -> ConfigError:
    # The URL may carry a secret key: only its scheme and bucket are repeated in the message.
    try:
        parts = urlsplit(url)
        shown = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"
    except ValueError:
        shown = "（无法解析）"
    return ConfigError(
        f"环境变量 CLUSTERDESK_STORAGE_URL {problem}。{STORAGE_HELP}。当前为 {shown!r}"
    )


def storages_from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    """Django's ``STORAGES`` from ``CLUSTERDESK_STORAGE_URL``.

    Unset: local directories — ``default`` is MEDIA_ROOT (evidence by SHA-256, the kept 公示 and
    通报 PDFs), ``exports`` is CLUSTERDESK_EXPORT_DIR (finished export files), both read at each
    use. ``s3://bucket/prefix?endpoint_url=…``: one bucket of S3-compatible object storage
    (MinIO, Ceph, a cloud's S3) through django-storages, ``<prefix>/media/`` and
    ``<prefix>/exports/`` in it, so that any number of app servers and workers share the files.
    Nothing is served from the bucket's URLs: every download passes through the app's access
    checks and SHA-256 verification, so the bucket stays private.
    """
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    url = environ.get("CLUSTERDESK_STORAGE_URL", "").strip()
    if not url:
        return {
            "default": {"BACKEND": "clusterdesk.shared.storage.MediaRootStorage"},
            "exports": {"BACKEND": "clusterdesk.shared.storage.ExportDirStorage"},
            "staticfiles": static,
        }
    try:
        parts = urlsplit(url)
    except ValueError:
        raise _storage_refusal("无法解析", url) from None
    if parts.scheme.lower() != "s3" or parts.fragment:
        raise _storage_refusal("只支持 s3:// 开头的对象存储地址", url)
    bucket = parts.netloc.rpartition("@")[2]  # as written: a port or capitals are refused
    if not _S3_BUCKET.match(bucket) or ".." in bucket:
        raise _storage_refusal("中的存储桶名称无效（3–63 个小写字母、数字、点或连字符）", url)
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "default_acl": None,  # the bucket's own policy: private
        "file_overwrite": True,  # names are chosen by the app (hashes, ids), never by users
        "signature_version": "s3v4",
        # What django-storages reads of an object spills to a temporary file past this size,
        # instead of holding a whole export ZIP in memory (its default holds everything).
        "max_memory_size": 4 << 20,
    }
    if parts.username is not None or parts.password is not None:
        if not parts.username or not parts.password:
            raise _storage_refusal("中的访问密钥应写作“密钥ID:密钥@”，两者都不能为空", url)
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password)
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=False)
    for name, values in query.items():
        if name not in _S3_PARAMETERS:
            raise _storage_refusal(f"含有不认识的参数“{name}”", url)
        if len(values) != 1 or not values[0].strip():
            raise _storage_refusal(f"的参数“{name}”应给出一次且不能为空", url)
        value = values[0].strip()
        if name == "endpoint_url":
            endpoint = urlsplit(value)
            if endpoint.scheme not in ("http", "https") or not endpoint.hostname:
                raise _storage_refusal("的 endpoint_url 应为 http(s)://主机[:端口]", url)
        elif name == "addressing_style" and value not in ("path", "virtual", "auto"):
            raise _storage_refusal("的 addressing_style 应为 path、virtual 或 auto", url)
        elif name == "verify":
            try:
                value = env_bool({name: value}, name, default=True)
            except ConfigError:
                raise _storage_refusal("的 verify 应为 1 或 0", url) from None
        options[_S3_PARAMETERS[name]] = value
    if "endpoint_url" in options:
        # MinIO and most self-hosted stores answer on one host name: path-style addressing.
        options.setdefault("addressing_style", "path")
    missing = [name for name in ("storages", "boto3") if importlib.util.find_spec(name) is None]
    if missing:
        raise ConfigError(
            "环境变量 CLUSTERDESK_STORAGE_URL 指向对象存储，但未安装 "
            + "、".join("django-storages" if name == "storages" else name for name in missing)
            + "：请运行 pip install 'django-storages[s3]>=1.14,<2'"
        )
    prefix = parts.path.strip("/")
    if any(piece in (".", "..") for piece in prefix.split("/")):
        raise _storage_refusal("的前缀不能含有“.”或“..”", url)
    backend = "storages.backends.s3.S3Storage"
    return {
        "default": {
            "BACKEND": backend,
            "OPTIONS": {**options, "location": f"{prefix}/media".lstrip("/")},
        },
        "exports": {
            "BACKEND": backend,
            "OPTIONS": {**options, "location": f"{prefix}/exports".lstrip("/")},
        },
        "staticfiles": static,
    }
