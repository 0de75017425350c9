"""Read a pytest JUnit report; fail on failures, errors, skips or an empty run.

Usage: python3 .ci/check_junit.py <label> <report.xml>. Prints one summary line on success;
explains and exits 1 otherwise. Standard library only: it runs outside the virtualenv.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET  # our own pytest's output, not untrusted input


def main(label: str, path: str) -> int:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        print(f"[{label}] 无法读取测试报告 {path}：{exc}", file=sys.stderr)
        return 1
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    total = sum(int(s.get("tests", 0)) for s in suites)
    failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped_cases = [
        (case.get("classname", ""), case.get("name", ""), skip.get("message", ""))
        # xfail is reported as <skipped type="pytest.xfail">: also not allowed to hide in CI.
        for case in root.iter("testcase")
        for skip in case.findall("skipped")
    ]
    passed = total - failed - len(skipped_cases)
    problems = []
    if total == 0:
        problems.append("没有运行任何测试")
    if failed:
        problems.append(f"{failed} 项失败或出错")
    if skipped_cases:
        problems.append(f"{len(skipped_cases)} 项被跳过（CI 不允许跳过）")
    for classname, name, message in skipped_cases:
        print(f"[{label}] 跳过：{classname}::{name} — {message}", file=sys.stderr)
    if problems:
        print(f"[{label}] 不通过：{'；'.join(problems)}。", file=sys.stderr)
        return 1
    print(f"[{label}] {passed} 项通过，0 项跳过，0 项失败。")
    # The plain closing line CI tools read, alone on its line.
    print(f"{label}: {passed} passed, 0 failed")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print("用法：python3 .ci/check_junit.py <名称> <report.xml>", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
