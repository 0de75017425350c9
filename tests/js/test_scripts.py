"""The form page's scripts, tested without a browser: Node's own test runner (no npm packages).

Each ``*.test.js`` here runs as one test, so ``make test`` and CI count and report them. The
live checks (form-live.js) are also run on the values the Python rules are run on: the page's
preview and the server's verdict must agree, which only a browser test checked before.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from clusterdesk.declarations.domain.values import typed_number
from clusterdesk.form.attachment2 import ATTACHMENT2_2023
from clusterdesk.form.example import example_application
from clusterdesk.form.fields import Evidence, Kind, spec_of
from clusterdesk.form.live import NUMBER_HINTS, box_attributes, evidence_trigger
from clusterdesk.form.loading import TYPE_MESSAGES
from clusterdesk.form.rules import DECIMALS, char_count, check_rules, evidence_needed
from clusterdesk.form.schema.industry import LeadingIndustry

JS_DIR = Path(__file__).resolve().parent
LIVE = JS_DIR / "scripts.js"
TIMEOUT_S = 120


def node() -> str:
    path = shutil.which("node")
    if path is None:
        # Only locally: .ci/run installs nodejs, and CI fails on any skip.
        pytest.skip("需要系统软件包 nodejs")
    return path


@pytest.mark.parametrize("script", sorted(p.name for p in JS_DIR.glob("*.test.js")))
def test_script_unit_tests(script):
    result = subprocess.run(
        [node(), "--test", "--test-reporter=tap", str(JS_DIR / script)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
    assert "# pass 0" not in result.stdout


def run_live(calls: list[list]) -> list:
    """``[[function, *arguments], …]`` applied by form-live.js; their results in order."""
    program = (
        f"const Live = require({json.dumps(str(LIVE))}).load('form-live.js');"
        "let input = ''; process.stdin.on('data', (d) => (input += d));"
        "process.stdin.on('end', () => process.stdout.write(JSON.stringify("
        "JSON.parse(input).map(([name, ...args]) => Live[name](...args)))));"
    )
    result = subprocess.run(
        [node(), "-e", program],
        input=json.dumps(calls),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=True,
    )
    return json.loads(result.stdout)


TEXTS = ["宁波 模具\t产业\n集群", "\u3000全角空格\u3000", "😀 emoji", "a\u00a0b", "", "无"]


def test_the_page_counts_characters_as_the_rules_do():
    counted = run_live([["count", text, box_attributes(_narrative())["count"]] for text in TEXTS])
    assert counted == [char_count(text) for text in TEXTS]


def _narrative():
    return spec_of(LeadingIndustry, "chain_cultivation")


TYPED = [
    *("108.60", "108.605", "1.2300", "1,234．５", "１２０", "120", "1.5", "1.0", "约120", "-3"),
    # units typed after the number and 无 are read as the Word import reads them (form.numbers)
    *("108.6亿元", "36.8%", "12家", "无", "/", "12个人"),
]


@pytest.mark.parametrize("field", ["total_output", "enterprises"])
def test_the_number_hint_says_what_the_save_would(field):
    spec = spec_of(LeadingIndustry, field)
    decimals = int(box_attributes(spec)["decimals"])
    hints = run_live([["numberHint", text, decimals, NUMBER_HINTS] for text in TYPED])
    assert hints == [_server_verdict(field, spec.kind, text) for text in TYPED]


def _server_verdict(field: str, kind: Kind, typed: str) -> str:
    """The hint the server's answer amounts to: refused by the schema, or found by the rules."""
    form = example_application()
    values = dict(getattr(form.part2, field))
    values["2021"], _ = typed_number(typed, kind, spec_of(LeadingIndustry, field).unit)
    try:
        setattr(form.part2, field, values)
    except ValidationError as exc:
        kind_of_error = exc.errors()[0]["type"]
        assert TYPE_MESSAGES[kind_of_error] in NUMBER_HINTS.values(), kind_of_error
        return TYPE_MESSAGES[kind_of_error]
    path = f"part2.{field}.2021"
    found = {f.rule for f in check_rules(ATTACHMENT2_2023, form) if f.path == path}
    return NUMBER_HINTS["decimals"] if DECIMALS in found else ""


BOX_VALUES = {
    Evidence.IF_TICKED: [(True, True), (False, False)],
    Evidence.IF_YES: [("是", "是"), ("否", "否"), ("", None)],
    Evidence.IF_POSITIVE: [("3", 3), ("0", 0), ("0.5", Decimal("0.5")), ("", None)],
    Evidence.ALWAYS: [("有两家", "有两家"), (" 无 ", " 无 "), ("无", "无"), ("", None)],
}


@pytest.mark.parametrize("kind", list(BOX_VALUES), ids=str)
def test_the_evidence_upload_shows_when_the_rule_asks_for_evidence(kind):
    """(what the box holds, what the form stores) for each trigger."""
    trigger = evidence_trigger(kind)
    shown = run_live([["evidenceShown", trigger, box] for box, _ in BOX_VALUES[kind]])
    assert shown == [evidence_needed(kind, value) for _, value in BOX_VALUES[kind]]
