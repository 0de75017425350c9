"""``make bench``, Word import part: the worst files the import accepts, and what they cost.

Each hostile file is built just under the limits of ``ImportLimits`` (sizes, element count) in
the shape that makes one part of the reader work hardest, and read in a fresh process so that
its peak memory (VmHWM) is its own. The goal: every file that is accepted reads in
under 5 s and 300 MB; the others are refused with a Chinese message. Tests build the same files
against small limits (``tests/documents/test_import_limits.py``).

    python -m clusterdesk.bench_import          # the table
    python -m clusterdesk.bench_import --child FILE   # one measurement (used by the table)
"""

from __future__ import annotations

import io
import json
import random
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

from .documents.attachment2_parse import TITLES
from .documents.attachment2_render import render_attachment2
from .documents.layout import part_rows
from .documents.safety import IMPORT_LIMITS, ImportLimits
from .form.example import example_application

FILL = 0.97  # how close to each limit the files go
GOAL_SECONDS = 5.0
GOAL_MB = 300.0
DOCUMENT = "word/document.xml"
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@cache
def example_docx() -> bytes:
    return render_attachment2(example_application())


def _parts(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def elements(xml: bytes) -> int:
    return sum(1 for _ in etree.iterparse(io.BytesIO(xml), events=("start",)))


def _budget(parts: dict[str, bytes], limits: ImportLimits) -> tuple[int, int]:
    """(elements, bytes of document.xml) still free under the limits, at ``FILL``."""
    xml = {name: data for name, data in parts.items() if name.endswith((".xml", ".rels"))}
    used = sum(elements(data) for data in xml.values())
    others = sum(len(data) for name, data in xml.items() if name != DOCUMENT)
    size = min(limits.xml_part_bytes, limits.xml_bytes - others)
    return int(limits.xml_elements * FILL) - used, int(size * FILL) - len(parts[DOCUMENT])


def _text(rng: random.Random, chars: int) -> str:
    """Random Chinese characters: they barely compress, so the ZIP ratio check lets them by."""
    return "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(max(chars, 1)))


def _insert(parts: dict[str, bytes], xml: str, *, after: str | None = None) -> bytes:
    """document.xml with ``xml`` after the paragraph holding ``after``, or before sectPr."""
    body = parts[DOCUMENT].decode("utf-8")
    if after is None:
        at = body.rindex("<w:sectPr")
    else:
        at = body.index("</w:p>", body.index(after)) + len("</w:p>")
    return _zip(parts | {DOCUMENT: (body[:at] + xml + body[at:]).encode("utf-8")})


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


# --- the hostile files ----------------------------------------------------------------------


def cover_paragraphs(limits: ImportLimits = IMPORT_LIMITS) -> bytes:
    """Short paragraphs up to both the element and the size limit: every one is compared with
    every heading and every cover label."""
    parts = _parts(example_docx())
    free, size = _budget(parts, limits)
    count = free // 4
    chars = max((size // count - len(_para("").encode())) // 3, 1)
    rng = random.Random(1)
    xml = "".join(_para(_text(rng, chars)) for _ in range(count))
    return _insert(parts, xml, after="附件2")


def part_cells(limits: ImportLimits = IMPORT_LIMITS) -> bytes:
    """The part headings and, under 一, a table of small cells with no label anywhere: every
    one of the 74 labels is looked for in every cell, twice (the part, then all parts)."""
    parts = _parts(example_docx())
    body = parts[DOCUMENT].decode("utf-8")
    headings = "".join(_para(title) for title in TITLES.values())
    start, end = body.index("<w:body>") + len("<w:body>"), body.rindex("<w:sectPr")
    parts[DOCUMENT] = (body[:start] + headings + body[end:]).encode("utf-8")
    free, size = _budget(parts, limits)
    cells = free * 10 // 41  # a row of 10 cells: 1 + 10 × 4 elements
    empty = len(f"<w:tc>{_para('')}</w:tc>") + len("<w:tr></w:tr>") // 10 + 1
    chars = max((size // cells - empty) // 3, 1)
    rng = random.Random(2)
    rows = "".join(
        "<w:tr>{}</w:tr>".format(
            "".join(f"<w:tc>{_para(_text(rng, chars))}</w:tc>" for _ in range(10))
        )
        for _ in range(cells // 10)
    )
    return _insert(parts, f"<w:tbl>{rows}</w:tbl>", after=TITLES["part1"])


def list_rows(limits: ImportLimits = IMPORT_LIMITS) -> bytes:
    """The patent list's last row repeated up to the limits: thousands more than a list may
    hold, each row read, validated and reported."""
    parts = _parts(example_docx())
    body = parts[DOCUMENT].decode("utf-8")
    table_end = body.index("</w:tbl>", body.index(TITLES["patents"]))
    row_start = body.rindex("<w:tr>", 0, table_end)
    row = body[row_start:table_end]
    free, size = _budget(parts, limits)
    per_row = elements(f"<w:tbl {_W}>{row}</w:tbl>".encode()) - 1
    count = min(free // per_row, size // len(row.encode("utf-8")))
    rng = random.Random(6)
    # Different text in every copy: a repeated row would compress far past the ratio limit.
    texts = re.compile(r"(<w:t[^>]*>)([^<]*)(</w:t>)")
    copies = "".join(
        texts.sub(lambda m: m[1] + _text(rng, len(m[2])) + m[3], row) for _ in range(count)
    )
    new = body[:table_end] + copies + body[table_end:]
    return _zip(parts | {DOCUMENT: new.encode("utf-8")})


def long_cells(limits: ImportLimits = IMPORT_LIMITS) -> bytes:
    """Every label of part 一 followed by a cell of megabytes of text with ticks and boxes:
    what the label search, the number and option readers do with huge values."""
    parts = _parts(example_docx())
    labels = [row.label for row in part_rows("part1")]
    _free, size = _budget(parts, limits)
    chars = size // len(labels) // 3
    rng = random.Random(3)
    rows = "".join(
        f"<w:tr><w:tc>{_para(label)}</w:tc><w:tc>{_para(_marks(rng, chars))}</w:tc></w:tr>"
        for label in labels
    )
    return _insert(parts, f"<w:tbl>{rows}</w:tbl>", after=TITLES["part1"])


def _marks(rng: random.Random, chars: int) -> str:
    text = list(_text(rng, chars))
    for index in range(0, len(text), 7):
        text[index] = rng.choice("☑□√■1,.")
    return "".join(text)


def many_parts(limits: ImportLimits = IMPORT_LIMITS) -> bytes:
    """As many XML parts as the entry limit allows, together up to the XML size and element
    limits: each one scanned on its own."""
    parts = _parts(example_docx())
    count = limits.entries - len(parts)
    free, _ = _budget(parts, limits)
    others = sum(len(d) for n, d in parts.items() if n.endswith((".xml", ".rels")))
    size = (int(limits.xml_bytes * FILL) - others) // count
    per_part = max(free // count - 1, 1)
    chars = max((size // per_part - 7) // 3, 1)
    rng = random.Random(4)
    for number in range(count):
        items = "".join(f"<a>{_text(rng, chars)}</a>" for _ in range(per_part))
        parts[f"customXml/item{number + 100}.xml"] = f"<x>{items}</x>".encode()
    return _zip(parts)


def deep_nesting(limits: ImportLimits = IMPORT_LIMITS) -> bytes:
    """Paragraphs each inside 120 nested content controls (the parser allows 256 levels)."""
    parts = _parts(example_docx())
    free, size = _budget(parts, limits)
    depth = 120
    rng = random.Random(7)
    close = "</w:sdtContent></w:sdt>" * depth

    def block() -> str:  # random ids, or the ZIP ratio check would refuse it
        opening = "".join(f'<w:sdt w:id="{_hex(rng)}"><w:sdtContent>' for _ in range(depth))
        return opening + _para("嵌套") + close

    count = min(free // (2 * depth + 3), size // len(block().encode()))
    return _insert(parts, "".join(block() for _ in range(count)), after="附件2")


def _hex(rng: random.Random) -> str:
    return f"{rng.getrandbits(64):016X}"


def wide_spans(limits: ImportLimits = IMPORT_LIMITS) -> bytes:
    """Rows of cells that each claim to span 99,999,999 grid columns, merged with the row
    above: one attribute must not make the reader fill millions of grid positions."""
    parts = _parts(example_docx())
    free, _ = _budget(parts, limits)
    rng = random.Random(8)

    def cell() -> str:
        span = '<w:gridSpan w:val="99999999"/><w:vMerge/>'
        return f'<w:tc><w:tcPr w:id="{_hex(rng)}">{span}</w:tcPr><w:p/></w:tc>'

    cells = free // 5
    rows = "".join(
        "<w:tr>{}</w:tr>".format("".join(cell() for _ in range(1000))) for _ in range(cells // 1000)
    )
    return _insert(parts, f"<w:tbl>{rows}</w:tbl>", after=TITLES["part1"])


def large_picture(limits: ImportLimits = IMPORT_LIMITS) -> bytes:
    """A picture up to the file size limit: never decompressed, so it costs its bytes only."""
    parts = _parts(example_docx())
    size = int(limits.file_bytes * FILL) - len(example_docx())
    parts["word/media/image1.png"] = random.Random(5).randbytes(size)
    return _zip(parts)


def huge_document(limits: ImportLimits = IMPORT_LIMITS) -> bytes:
    """The reported attack: an 8 MB file whose document.xml inflates to 50 MB (before the
    limits it held a worker for 113 s at 948 MB)."""
    parts = _parts(example_docx())
    rng = random.Random(9)
    body = parts[DOCUMENT].decode("utf-8")
    at = body.rindex("<w:sectPr")
    paragraph = _para(_text(rng, 30) + "集群" * 40)  # compresses about 6:1
    filler = [_para(_text(rng, 30)) + paragraph for _ in range(50 * 2**20 // 488)]
    new = body[:at] + "".join(filler) + body[at:]
    return _zip(parts | {DOCUMENT: new.encode("utf-8")})


def many_megabyte_parts(limits: ImportLimits = IMPORT_LIMITS) -> bytes:
    """The reported attack: 290 XML entries of 1 MB each (before: 30 s of CPU)."""
    parts = _parts(example_docx())
    rng = random.Random(10)
    for number in range(290):
        items = "".join(f"<a>{_hex(rng)}{'集群' * 40}</a>" for _ in range(2**20 // 263))
        parts[f"customXml/item{number + 100}.xml"] = f"<x>{items}</x>".encode()
    return _zip(parts)


HOSTILE: list[tuple[str, Callable[[ImportLimits], bytes]]] = [
    ("封面下十几万个短段落（元素数、大小均近上限）", cover_paragraphs),
    ("第一部分下十几万个无标签单元格", part_cells),
    ("专利清单行数近元素上限（远超 5000 行）", list_rows),
    ("第一部分各栏填入数 MB 文本", long_cells),
    ("近千个 XML 部件（条目数、总大小均近上限）", many_parts),
    ("120 层嵌套的内容控件", deep_nesting),
    ("单元格跨越 99,999,999 列并纵向合并", wide_spans),
    ("近 50 MB 的图片", large_picture),
]
# Over the limits: what was reported, refused at once now.
REPORTED: list[tuple[str, Callable[[ImportLimits], bytes]]] = [
    ("报告的攻击：document.xml 解压后 50 MB", huge_document),
    ("报告的攻击：290 个 1 MB 的 XML 条目", many_megabyte_parts),
]


# --- measuring ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    seconds: float
    cpu_seconds: float  # the same in CPU time: what it costs on a machine busy with other work
    peak_mb: float  # the process's peak resident memory
    base_mb: float  # the same before reading: Python and the imported modules
    refused: str | None  # the Chinese message, or None when the file was read

    @property
    def verdict(self) -> str:
        fast = self.seconds < GOAL_SECONDS and self.peak_mb < GOAL_MB
        return ("达标" if fast else "未达标") + ("（已拒绝）" if self.refused else "（已读取）")


def measure(data: bytes) -> Outcome:
    """Read ``data`` in a fresh interpreter and report its time and peak memory."""
    with tempfile.NamedTemporaryFile(suffix=".docx") as file:
        file.write(data)
        file.flush()
        done = subprocess.run(
            [sys.executable, "-m", "clusterdesk.bench_import", "--child", file.name],
            capture_output=True,
            text=True,
            check=True,
        )
    return Outcome(**json.loads(done.stdout.strip().splitlines()[-1]))


def peak_mb() -> float:
    """This process's peak resident memory (Linux's VmHWM). Not ``ru_maxrss``: Linux carries
    that over from the parent through fork and exec, so a child of a large parent reports the
    parent's peak."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) / 1024


def _child(path: str) -> None:
    from .documents.attachment2_parse import parse_attachment2  # noqa: PLC0415
    from .documents.errors import DocumentInputError  # noqa: PLC0415

    data = Path(path).read_bytes()
    base = peak_mb()
    start, cpu = time.perf_counter(), time.process_time()
    refused = None
    try:
        parse_attachment2(data)
    except DocumentInputError as error:
        refused = error.message
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    outcome = {"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak_mb(), "base_mb": base}
    print(json.dumps(outcome | {"refused": refused}))


def run() -> list[tuple[str, int, Outcome]]:
    rows = [("示例申报（386 件专利，基线）", example_docx())]
    rows += [(name, build(IMPORT_LIMITS)) for name, build in HOSTILE + REPORTED]
    return [(name, len(data), measure(data)) for name, data in rows]


def report(results: list[tuple[str, int, Outcome]]) -> None:
    limits = IMPORT_LIMITS
    print(
        f"\n从Word导入：接近各项上限的恶意文件（单个 XML 部件 ≤ {limits.xml_part_bytes >> 20} MB，"
        f"XML 合计 ≤ {limits.xml_bytes >> 20} MB，元素 ≤ {limits.xml_elements:,}，"
        f"限时 {limits.seconds:g} 秒）；目标：< {GOAL_SECONDS:g} 秒、< {GOAL_MB:g} MB"
    )
    for name, size, outcome in results:
        line = (
            f"  {name}：{size / 2**20:.1f} MB 文件，{outcome.seconds:.2f} 秒"
            f"（CPU {outcome.cpu_seconds:.2f} 秒），"
            f"峰值 {outcome.peak_mb:.0f} MB（读取前 {outcome.base_mb:.0f} MB）  {outcome.verdict}"
        )
        print(line)
        if outcome.refused:
            print("      " + re.sub(r"^文件 \S+ ", "", outcome.refused))


def main() -> None:
    report(run())


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child(sys.argv[2])
    else:
        main()
