"""A 典型案例's files follow the case when the list changes (form.row_evidence)."""

from __future__ import annotations

from clusterdesk.form.annual.definition import ANNUAL_REPORT_2024 as D
from clusterdesk.form.row_evidence import follow_rows, row_at, snapshot


def report(*titles: str) -> dict:
    return {
        "cases": {"items": [{"title": t, "text": f"{t}的正文"} for t in titles]},
        "evidence": {f"cases.items.{i}": [{"name": f"{t}.pdf"}] for i, t in enumerate(titles)},
    }


def changed(data: dict, *titles: str, texts: tuple[str, ...] = ()) -> dict:
    """``data`` with its cases now ``titles`` (their texts as before unless ``texts``)."""
    before = snapshot(D, data)
    old = {row["title"]: row["text"] for row in data["cases"]["items"]}
    texts = texts or tuple(old.get(t.removesuffix("改"), f"{t}的正文") for t in titles)
    data["cases"]["items"] = [{"title": t, "text": x} for t, x in zip(titles, texts, strict=True)]
    follow_rows(D, before, data)
    return {path: [f["name"] for f in files] for path, files in data["evidence"].items()}


def test_reordered_cases_keep_their_files():
    assert changed(report("甲", "乙", "丙"), "丙", "甲", "乙") == {
        "cases.items.0": ["丙.pdf"],
        "cases.items.1": ["甲.pdf"],
        "cases.items.2": ["乙.pdf"],
    }


def test_a_deleted_case_takes_its_files_and_a_renamed_one_keeps_them():
    # 甲 deleted and 乙 renamed in one save: 乙改 is 乙 by its text, 丙 by its title
    assert changed(report("甲", "乙", "丙"), "乙改", "丙") == {
        "cases.items.0": ["乙.pdf"],
        "cases.items.1": ["丙.pdf"],
    }
    # renamed and rewritten at once: still the case in that place, when none came or went
    result = changed(report("甲", "丙"), "丁", "丙", texts=("全新的正文", "丙的正文"))
    assert result == {"cases.items.0": ["甲.pdf"], "cases.items.1": ["丙.pdf"]}
    # deleted: its files leave the register
    assert changed(report("甲", "乙"), "乙") == {"cases.items.0": ["乙.pdf"]}


def test_only_rows_of_evidence_lists_are_row_paths():
    assert row_at(D, "cases.items.3") is not None
    assert row_at(D, "cases.items") is None
    assert row_at(D, "changes.items.0") is None
    assert row_at(D, "cases.items.-1") is None
