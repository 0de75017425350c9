"""``make loadtest`` (``clusterdesk.loadtest``): the machinery cannot rot.

- The whole command runs with a few users for a few seconds — a fresh database (PostgreSQL
  when ``DATABASE_URL`` names it, else SQLite), ``manage.py serve``, locust — and prints the
  table and the verdict with no error and no lost save. Timings are not asserted: they depend on
  the machine and on what else runs on it.
- The lost-save check finds a save that the database does not hold.
- The figures: percentiles, the verdict against the goals, a bad option refused.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from clusterdesk.declarations.domain.editing import Change, save_changes
from clusterdesk.loadtest import figures, run, world
from tests import factories

REPO_DIR = Path(__file__).resolve().parents[1]


def _database_url() -> str:
    """The test database (migrated by pytest-django) as a URL the server processes can open."""
    database = connection.settings_dict
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{database['NAME']}"
    user, host, port = database["USER"], database["HOST"] or "127.0.0.1", database["PORT"] or 5432
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{port}/{database['NAME']}"


@pytest.mark.django_db(transaction=True)  # committed: the servers in other processes see it
def test_a_short_rush_runs_end_to_end_without_errors_or_lost_saves():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-m", "clusterdesk.loadtest", "--users", "3", "--duration", "1",
         "--flood-users", "1", "--flood-seconds", "1", "--workers", "1",
         "--database-url", _database_url(), "--reuse-database"],
        cwd=REPO_DIR, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    out = result.stdout
    assert result.returncode in (0, 1), out + result.stderr  # 1: a timing goal missed here
    assert "✓ 错误数 0" in out, out + result.stderr
    assert "✓ 丢失的保存 0" in out, out
    saves = re.search(r"已确认的保存 (\d+) 次", out)
    assert saves, out
    assert int(saves.group(1)) > 0, out  # saves were made, answered, and found again
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_a_save_the_database_does_not_hold_is_counted_lost():
    officer = factories.make_county_officer()
    application = factories.make_application(officer=officer)
    path = "part8.overview"
    before = application.data["part8"]["overview"]
    result = save_changes(application, [Change(path, "已保存的文字", before)], officer)
    held = {"application": application.pk, "path": path, "version": result.version}
    assert world.lost_saves([held | {"value": "已保存的文字"}]) == []
    lost = world.lost_saves([held | {"value": "服务器回答已保存、数据库里却没有"}])
    assert len(lost) == 2  # not in the revision, and not the box's last value
    assert all(str(application.pk) in line for line in lost)
    # A later save whose answer the end of the run cut off: the box holds it, nothing is lost.
    later = save_changes(application, [Change(path, "回答未收到的保存", "已保存的文字")], officer)
    assert later.applied == [path]
    key = f"{application.pk} {path}"
    confirmed = held | {"value": "已保存的文字"}
    assert world.lost_saves([confirmed], {key: ["已保存的文字", "回答未收到的保存"]}) == []
    assert len(world.lost_saves([confirmed], {key: ["已保存的文字"]})) == 1


def test_percentiles_and_rows():
    records = [("自动保存", 0.0, float(ms), ms != 100, 1) for ms in range(1, 101)]
    (row,) = figures.rows(records, 10)
    assert (row.count, row.rate, row.p50, row.p95, row.p99, row.errors) == (
        100, 10.0, 50, 95, 99, 1,
    )  # fmt: skip
    assert "自动保存" in figures.table([row])


def test_the_verdict_names_each_goal_missed():
    good = figures.Verdict(50, 0, 0, 120.0, 60.0, 100.0)
    assert good.passed
    assert good.text().startswith("结论：50 个并发用户下全部达标")
    bad = figures.Verdict(50, 3, 1, 450.0, 40.0, 100.0)
    assert not bad.passed
    assert [ok for ok, _ in bad.checks()] == [False, False, False, False]
    assert "未达标" in bad.text()


def test_the_flood_rate_counts_from_when_every_client_was_at_work():
    # Client 2 logged in late: its first request at t=1; client 1 made 10 requests before.
    records = [("自动保存", t / 10, 100.0, True, 1) for t in range(20)]
    records += [("自动保存", 1 + t / 10, 100.0, True, 2) for t in range(10)]
    assert run.flood_rate(records, "自动保存") == pytest.approx(20 / 1.0)


@pytest.mark.parametrize(
    "args", [["--users", "0"], ["--users", "abc"], ["--users", "500"], ["--database-url", "x://"]]
)
def test_a_bad_option_is_refused_with_exit_code_2(args, capsys):
    assert run.main(args) == 2
    assert "参数 --" in capsys.readouterr().err  # names the option, in Chinese
