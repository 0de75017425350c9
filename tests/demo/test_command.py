from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError

from clusterdesk.demo import seed
from clusterdesk.demo.seed import DEMO_PASSWORD
from clusterdesk.demo.table import display_width, text_table

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"


def _run(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def test_prints_the_demo_logins_as_a_chinese_table_and_a_second_run_changes_nothing(settings):
    # The one test that seeds a database of its own: the command's first run.
    settings.DEBUG = True
    output = _run()
    assert "演示数据已创建" in output
    assert "专家 8 位" in output
    lines = output.splitlines()
    header = next(line for line in lines if line.startswith("用户名"))
    assert header.split() == ["用户名", "角色", "所属单位", "密码"]
    for username, role, unit in [
        ("admin", "系统管理员", "—"),
        ("city", "市经信局", "宁波市经济和信息化局"),
        ("haishu", "区县经信部门", "海曙区经济和信息化局"),
        ("dongqianhu", "区县经信部门", "宁波东钱湖旅游度假区管委会"),
        ("expert2", "专家", "宁波市中小企业特色产业集群评审专家库"),
        ("expert8", "专家", "宁波市中小企业特色产业集群评审专家库"),
    ]:
        row = next(line for line in lines if line.startswith(f"{username} "))
        assert row.split() == [username, role, unit, DEMO_PASSWORD]

    again = _run()
    assert "演示数据已存在，未作改动。" in again
    assert again.splitlines()[-len(lines) + 1 :] == lines[-len(lines) + 1 :]  # the same table


def test_refuses_outside_debug_mode_without_force(monkeypatch):
    with pytest.raises(CommandError) as excinfo:
        _run()
    assert excinfo.value.returncode == 2
    assert "CLUSTERDESK_DEBUG=1" in str(excinfo.value)
    # With --force it seeds (the seed itself is the test above's).
    monkeypatch.setattr(
        "clusterdesk.demo.management.commands.seed_demo.seed_demo",
        lambda: seed.SeedReport(users_created=1),
    )
    assert "演示数据已创建" in _run(force=True)


def test_database_trouble_is_a_chinese_message_not_a_traceback(monkeypatch):
    def broken():
        raise DatabaseError("no such table: accounts_organisation")

    monkeypatch.setattr("clusterdesk.demo.management.commands.seed_demo.seed_demo", broken)
    with pytest.raises(CommandError, match=r"请先运行“python manage\.py migrate”") as excinfo:
        _run(force=True)
    assert excinfo.value.returncode == 2


def test_readme_lists_the_same_logins(world):
    readme = README.read_text(encoding="utf-8")
    for login in world.report.logins:
        row = f"| `{login.username}` | {login.role} | {login.organisation} | `{login.password}` |"
        assert row in readme, f"README 缺少演示账户行：{row}"


def test_table_aligns_chinese_columns():
    table = text_table(("用户名", "角色"), [("admin", "系统管理员"), ("city", "市经信局")])
    header, rule, *rows = table.splitlines()
    assert rule == "------  ----------"
    for line, second in [(header, "角色"), (rows[0], "系统管理员"), (rows[1], "市经信局")]:
        # CJK characters take two terminal columns: the second column starts at column 8.
        assert display_width(line[: line.index(second)]) == 8
