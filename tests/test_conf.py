import os
import sqlite3
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from clusterdesk.conf import ConfigError, database_from_env, env_bool, env_int, env_list

VAR = Path("/srv/clusterdesk/var")


def test_default_database_is_sqlite_under_var_dir():
    config = database_from_env({}, VAR)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(VAR / "clusterdesk.sqlite3")
    assert config["CONN_MAX_AGE"] == 0


def test_database_url_selects_postgresql():
    config = database_from_env(
        {"DATABASE_URL": "postgres://clusterdesk:secret@db.example:5433/clusterdesk"}, VAR
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.example", 5433, "clusterdesk")
    assert config["USER"] == "clusterdesk"
    assert config["PASSWORD"] == "secret"


def test_blank_database_url_falls_back_to_sqlite():
    assert database_from_env({"DATABASE_URL": "  "}, VAR)["ENGINE"].endswith("sqlite3")


def test_unknown_database_scheme_is_a_chinese_config_error():
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        database_from_env({"DATABASE_URL": "oracle-ish://x"}, VAR)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("Yes", True), ("on", True), ("0", False), ("off", False)],
)
def test_env_bool(raw, expected):
    assert env_bool({"X": raw}, "X", default=not expected) is expected


def test_env_bool_default_and_garbage():
    assert env_bool({}, "X", default=True) is True
    with pytest.raises(ConfigError, match="环境变量 X"):
        env_bool({"X": "maybe"}, "X", default=False)


def test_env_list():
    assert env_list({"H": " a.example , b.example,, "}, "H", []) == ["a.example", "b.example"]
    assert env_list({}, "H", ["127.0.0.1"]) == ["127.0.0.1"]


def test_running_settings_follow_database_url():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres", "postgresql")) else "sqlite"
    assert connection.vendor == expected


def test_locale_and_user_model():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert settings.AUTH_USER_MODEL == "accounts.User"


def test_env_int():
    assert env_int({}, "N", default=5) == 5
    assert env_int({"N": " 8 "}, "N", default=5) == 8
    with pytest.raises(ConfigError, match="环境变量 N 应为整数"):
        env_int({"N": "five"}, "N", default=5)
    with pytest.raises(ConfigError, match="不能小于 1"):
        env_int({"N": "0"}, "N", default=5)


def test_sqlite_waits_for_a_concurrent_writer_instead_of_failing(tmp_path):
    """Two overlapping saves on the embedded database queue up rather than raise "locked"."""

    config = database_from_env({}, tmp_path)
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    path = tmp_path / "clusterdesk.sqlite3"
    setup = sqlite3.connect(path)
    setup.execute("create table t (x)")
    setup.commit()
    first = sqlite3.connect(path, check_same_thread=False)
    first.execute("begin immediate")
    first.execute("insert into t values (1)")
    released = threading.Timer(0.3, first.commit)
    released.start()
    second = sqlite3.connect(path, timeout=config["OPTIONS"]["timeout"])
    second.execute("begin immediate")  # waits for the first writer, then goes ahead
    second.execute("insert into t values (2)")
    second.commit()
    released.join()
    assert setup.execute("select count(*) from t").fetchone()[0] == 2
