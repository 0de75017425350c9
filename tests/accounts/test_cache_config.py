"""CLUSTERDESK_CACHE_URL: where the login counts are kept."""

import importlib.util
from pathlib import Path

import pytest

from clusterdesk.conf import ConfigError, cache_from_env

VAR = Path("/srv/clusterdesk/var")


def test_by_default_files_under_var_shared_by_the_server_processes():
    config = cache_from_env({}, VAR)
    assert config["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert config["LOCATION"] == "/srv/clusterdesk/var/cache"
    assert config["OPTIONS"]["MAX_ENTRIES"] >= 10_000  # culling would drop locks at random


def test_a_file_url_and_memory():
    assert cache_from_env({"CLUSTERDESK_CACHE_URL": "file:///tmp/cd"}, VAR)["LOCATION"] == "/tmp/cd"
    memory = cache_from_env({"CLUSTERDESK_CACHE_URL": "locmem://"}, VAR)
    assert memory["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_redis_needs_its_package(monkeypatch):
    url = "redis://127.0.0.1:6379/1"
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())
    config = cache_from_env({"CLUSTERDESK_CACHE_URL": url}, VAR)
    assert config == {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ConfigError, match="未安装 redis 包"):
        cache_from_env({"CLUSTERDESK_CACHE_URL": url}, VAR)


@pytest.mark.parametrize("url", ["memcached://x", "file://relative", "nonsense"])
def test_an_unknown_url_is_explained_in_chinese(url):
    with pytest.raises(ConfigError, match="CLUSTERDESK_CACHE_URL 应为"):
        cache_from_env({"CLUSTERDESK_CACHE_URL": url}, VAR)
