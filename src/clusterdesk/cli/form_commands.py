"""``clusterdesk form …``: the schema, the example, validation and the criteria check."""

from __future__ import annotations

import argparse

from ..form import validation
from ..form.criteria import ProfileError, load_profile
from ..form.example import example_json
from ..form.findings import errors
from ..form.loading import load_application
from ..form.schema import Application
from .errors import EXIT_FINDINGS, EXIT_OK, CommandLineError
from .output import counts, print_findings, print_json, summary_line


def register(commands: argparse._SubParsersAction) -> None:
    form = commands.add_parser("form", help="申报表：结构、示例、校验、认定标准预审")
    sub = form.add_subparsers(dest="form_command", metavar="子命令")
    sub.required = True

    schema = sub.add_parser("schema", help="输出申报表的 JSON Schema（含官方栏目名称）")
    schema.set_defaults(handler=cmd_schema)

    example = sub.add_parser("example", help="输出一份完整、可通过校验的示例申报数据")
    example.set_defaults(handler=cmd_example)

    validate = sub.add_parser("validate", help="按填报说明校验申报数据，并做一致性检查")
    validate.add_argument("file", metavar="FILE", help="申报数据 JSON 文件")
    validate.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    validate.set_defaults(handler=cmd_validate)

    check = sub.add_parser("check", help="按认定标准档案预审，并检查2025年目标值")
    check.add_argument("file", metavar="FILE", help="申报数据 JSON 文件")
    check.add_argument(
        "--profile", default="ningbo-2023", help="认定标准档案（名称或 TOML 文件路径）"
    )
    check.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    check.set_defaults(handler=cmd_check)


def cmd_schema(args: argparse.Namespace) -> int:
    print_json(Application.model_json_schema())
    return EXIT_OK


def cmd_example(args: argparse.Namespace) -> int:
    print_json(example_json())
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    application = load_application(args.file)
    findings = validation.validate(application)
    valid = not errors(findings)
    if args.json:
        print_json(
            {
                "file": args.file,
                "valid": valid,
                "counts": counts(findings),
                "findings": [finding.as_json() for finding in findings],
            }
        )
    else:
        name = application.part1.cluster_name or "（未填集群名称）"
        print(f"{name} — {args.file}")
        print(summary_line(findings))
        print_findings(findings)
        print("结论：" + ("没有错误，可以提交。" if valid else "存在错误，修改后才能提交。"))
    return EXIT_OK if valid else EXIT_FINDINGS


def cmd_check(args: argparse.Namespace) -> int:
    try:
        profile = load_profile(args.profile)
    except ProfileError as exc:
        raise CommandLineError(str(exc)) from exc
    application = load_application(args.file)
    result = validation.check(application, profile)
    findings = result.findings
    passed = not errors(findings)
    if args.json:
        print_json(
            {
                "file": args.file,
                "profile": profile.id,
                "passed": passed,
                "counts": counts(findings),
                "aspects": result.criteria.as_json(),
                "findings": [finding.as_json() for finding in findings],
            }
        )
    else:
        print(f"认定标准预审：{profile.name}（{profile.id}）— {args.file}")
        for aspect in result.criteria.aspects:
            print(f"  {aspect.status}  {aspect.title}")
        print(summary_line(findings))
        print_findings(findings)
        verdict = "未发现不符合认定标准或目标要求之处。" if passed else "存在不符合之处，见上。"
        print("结论：" + verdict)
    return EXIT_OK if passed else EXIT_FINDINGS
