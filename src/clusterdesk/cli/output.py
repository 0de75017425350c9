"""Printing findings for people (Chinese, grouped) and for programs (JSON)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable
from typing import Any, TextIO

from ..form.findings import Finding, Level


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    tally = Counter(finding.level for finding in findings)
    return {level.value: tally.get(level, 0) for level in Level}


def summary_line(findings: list[Finding]) -> str:
    c = counts(findings)
    return f"错误 {c['error']} 项，警告 {c['warning']} 项，提示 {c['info']} 项"


def print_findings(findings: list[Finding], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    order = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}
    for finding in sorted(findings, key=lambda f: order[Level(f.level)]):
        print(f"[{Level(finding.level).zh}] {finding.path}「{finding.label}」", file=out)
        print(f"    {finding.message}", file=out)


def print_json(payload: dict[str, Any], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    json.dump(payload, out, ensure_ascii=False, indent=2)
    out.write("\n")
