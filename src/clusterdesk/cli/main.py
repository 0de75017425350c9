"""Entry point of the ``clusterdesk`` console script.

Exit codes: 0 success, 1 the application has errors, 2 the input could not be used (a file that
is not an application, a bad option). Every failure prints a Chinese message, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..form.loading import ApplicationInputError
from . import document_commands, form_commands
from .errors import EXIT_INPUT, EXIT_OK, CommandLineError


class ChineseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[override]
        raise CommandLineError(f"命令行参数有误：{_translate(message)}\n{self.format_usage()}")


_ARGPARSE_PHRASES = {
    "the following arguments are required": "缺少参数",
    "unrecognized arguments": "无法识别的参数",
    "invalid choice": "无效的选项",
    "expected one argument": "需要一个值",
    "argument": "参数",
}


def _translate(message: str) -> str:
    for english, chinese in _ARGPARSE_PHRASES.items():
        message = message.replace(english, chinese)
    return message


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="clusterdesk",
        description=(
            "中小企业特色产业集群申报认定平台 — 命令行工具（处理 JSON 申报数据，无需数据库）"
        ),
    )
    commands = parser.add_subparsers(
        dest="command", metavar="命令", parser_class=ChineseArgumentParser
    )
    commands.required = True
    form_commands.register(commands)
    document_commands.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return int(args.handler(args))
    except CommandLineError as exc:
        print(str(exc).rstrip(), file=sys.stderr)
        return EXIT_INPUT
    except ApplicationInputError as exc:
        print(f"无法读取申报数据：{exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
