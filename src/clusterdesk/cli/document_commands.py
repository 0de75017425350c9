"""The documents from the command line: ``form render``, ``form parse``, ``summary``, ``package``.

Every output is written to a temporary file beside the target and moved into place when complete,
so a failure (bad input, LibreOffice timeout) leaves no half-written file. Errors of the document
layer become the usual Chinese message with exit code 2.
"""

from __future__ import annotations

import argparse
import functools
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..documents.atomic import atomic_path, write_atomic
from ..documents.attachment1 import (
    DEFAULT_YEAR,
    SummaryHeader,
    render_summary_docx,
    render_summary_xlsx,
)
from ..documents.attachment2_parse import parse_attachment2
from ..documents.attachment2_render import render_attachment2
from ..documents.errors import DocumentInputError, PdfError
from ..documents.package import build_package, directory_store
from ..documents.pdf import convert_to_pdf
from ..form.loading import load_application
from ..form.schema import Application
from .errors import EXIT_OK, CommandLineError

Handler = Callable[[argparse.Namespace], int]
MAX_LISTED = 20  # missing evidence listed on screen; the package's manifest has them all


def register(commands: argparse._SubParsersAction) -> None:
    """Adds ``render`` and ``parse`` to the existing ``form`` command, and ``summary`` and
    ``package`` as commands of their own."""
    form = _subcommands(commands.choices["form"])

    render = form.add_parser("render", help="由申报数据生成附件2 申报表（Word，或 --pdf 生成 PDF）")
    render.add_argument("file", metavar="FILE", help="申报数据 JSON 文件")
    render.add_argument("-o", "--output", required=True, metavar="OUT", help="输出文件 .docx/.pdf")
    render.add_argument("--pdf", action="store_true", help="输出 PDF（需要 LibreOffice）")
    render.set_defaults(handler=cmd_render)

    parse = form.add_parser("parse", help="读取填好的附件2 Word 文档，输出申报数据 JSON")
    parse.add_argument("file", metavar="FILE", help="申报表 .docx 文件")
    parse.add_argument("-o", "--output", required=True, metavar="OUT", help="输出 JSON 文件")
    parse.add_argument("--report", action="store_true", help="同时输出读取报告")
    parse.set_defaults(handler=cmd_parse)

    summary = commands.add_parser("summary", help="生成附件1 推荐汇总表（.docx、.xlsx 或 .pdf）")
    summary.add_argument("files", nargs="+", metavar="FILE", help="申报数据 JSON 文件（可多个）")
    summary.add_argument("-o", "--output", required=True, metavar="OUT", help="输出文件")
    _header_options(summary)
    summary.set_defaults(handler=cmd_summary)

    package = commands.add_parser("package", help="生成电子版压缩包（文档、佐证材料和清单）")
    package.add_argument("files", nargs="+", metavar="FILE", help="申报数据 JSON 文件（可多个）")
    package.add_argument("-o", "--output", required=True, metavar="OUT", help="输出 .zip 文件")
    package.add_argument(
        "--evidence-dir", metavar="DIR", help="佐证材料所在目录（按文件名或 SHA-256 查找）"
    )
    package.add_argument("--pdf", action="store_true", help="同时放入 PDF（需要 LibreOffice）")
    _header_options(package)
    package.set_defaults(handler=cmd_package)


def _subcommands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise LookupError(f"{parser.prog} has no subcommands")


def _header_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("汇总表表头（默认取自申报数据，各申报一致时填入）")
    group.add_argument("--department", help="区（县、市）中小企业主管部门")
    group.add_argument("--contact", help="联系人")
    group.add_argument("--mobile", help="手机")
    group.add_argument("--year", type=int, default=DEFAULT_YEAR, help="年度（默认 2023）")


def document_errors(handler: Handler) -> Handler:
    """Document and PDF errors, and failures to write, as Chinese messages with exit code 2."""

    @functools.wraps(handler)
    def wrapped(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except (DocumentInputError, PdfError) as exc:
            raise CommandLineError(exc.message) from exc
        except BrokenPipeError:
            raise  # the reader went away (``| head``): not a failure to write the output
        except OSError as exc:
            where = exc.filename or args.output
            raise CommandLineError(f"无法写入 {where}：{exc.strerror or exc}") from exc

    return wrapped


def output_path(value: str, suffixes: tuple[str, ...]) -> Path:
    path = Path(value)
    if path.suffix.lower() not in suffixes:
        raise CommandLineError(f"输出文件 {value} 的扩展名应为 {' 或 '.join(suffixes)}")
    if path.is_dir():
        raise CommandLineError(f"输出 {value} 是一个目录，请给出文件名")
    if not path.parent.is_dir():
        raise CommandLineError(f"输出目录 {path.parent} 不存在")
    return path


@document_errors
def cmd_render(args: argparse.Namespace) -> int:
    pdf = args.pdf or args.output.lower().endswith(".pdf")
    out = output_path(args.output, (".pdf",) if pdf else (".docx",))
    document = render_attachment2(load_application(args.file))
    if pdf:
        write_pdf(out, document)
    else:
        write_atomic(out, document)
    print(f"已生成：{out}")
    return EXIT_OK


@document_errors
def cmd_parse(args: argparse.Namespace) -> int:
    out = output_path(args.output, (".json",))
    name = Path(args.file).name
    try:
        result = parse_attachment2(Path(args.file))
    except DocumentInputError as exc:
        message = exc.message if name in exc.message else f"文件 {name}：{exc.message}"
        raise CommandLineError(message) from exc
    except Exception as exc:  # a file no check foresaw must still not end in a traceback
        raise CommandLineError(
            f"无法读取文件 {name}：内容无法识别（{type(exc).__name__}）"
        ) from exc
    data = result.application.model_dump(mode="json")
    write_atomic(out, json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")
    print(f"已生成：{out}")
    if args.report:
        print(result.report.text())
    return EXIT_OK


@document_errors
def cmd_summary(args: argparse.Namespace) -> int:
    out = output_path(args.output, (".docx", ".xlsx", ".pdf"))
    applications = [load_application(file) for file in args.files]
    header = summary_header(args, applications)
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        write_atomic(out, render_summary_xlsx(applications, header, args.year))
    elif suffix == ".docx":
        write_atomic(out, render_summary_docx(applications, header, args.year))
    else:
        write_pdf(out, render_summary_docx(applications, header, args.year))
    print(f"已生成：{out}（{len(applications)} 个集群）")
    return EXIT_OK


@document_errors
def cmd_package(args: argparse.Namespace) -> int:
    out = output_path(args.output, (".zip",))
    applications = [load_application(file) for file in args.files]
    store = None
    if args.evidence_dir:
        directory = Path(args.evidence_dir)
        if not directory.is_dir():
            raise CommandLineError(f"佐证材料目录 {directory} 不存在")
        store = directory_store(directory)
    result = build_package(
        applications,
        out,
        store,
        header=summary_header(args, applications),
        title_year=args.year,
        pdf=args.pdf,
    )
    included = len(result.evidence) - len(result.missing)
    print(f"已生成：{out}（{len(applications)} 个集群，{len(result.files)} 个文件）")
    print(f"佐证材料：放入 {included} 份，缺少 {len(result.missing)} 份")
    for record in result.missing[:MAX_LISTED]:
        print(f"  缺少：{record.folder} / {record.label}：{record.name}")
    if len(result.missing) > MAX_LISTED:
        more = len(result.missing) - MAX_LISTED
        print(f"  ……另有 {more} 份，见压缩包内的 manifest.json 和 说明.txt")
    if result.missing and not args.evidence_dir:
        print("提示：用 --evidence-dir 指定佐证材料所在目录，即可放入这些文件。")
    return EXIT_OK


def summary_header(args: argparse.Namespace, applications: list[Application]) -> SummaryHeader:
    default = SummaryHeader.from_applications(applications)
    return SummaryHeader(
        department=args.department if args.department is not None else default.department,
        contact=args.contact if args.contact is not None else default.contact,
        mobile=args.mobile if args.mobile is not None else default.mobile,
    )


def write_pdf(out: Path, document: bytes) -> None:
    """The PDF of a Word document, written atomically to ``out``."""
    with tempfile.TemporaryDirectory(prefix="clusterdesk-pdf-") as work:
        source = Path(work) / "document.docx"
        source.write_bytes(document)
        (made,) = convert_to_pdf([source], Path(work))
        with atomic_path(out) as temporary, made.open("rb") as pdf, temporary.open("wb") as target:
            shutil.copyfileobj(pdf, target)
