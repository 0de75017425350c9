"""PDF evidence: refuse active content, draw pages for the preview; both out of process.

The PDF is read by qpdf (pikepdf) and drawn by pdfium (pypdfium2) in ``pdfworker``, a child
process with an address-space and CPU limit, under a wall-clock timeout here. A file that needs
more is refused (upload) or not previewed (preview) with a Chinese message; the web worker
never waits longer than the timeout and never holds the parser's memory.

What is refused and why (the checks themselves are in ``pdfworker``): JavaScript anywhere;
actions that run without a click (/OpenAction other than "go to a page", /AA); actions that
start programs, send data or play media (/Launch, /SubmitForm, /ImportData, /Rendition…);
embedded files (a program attached to a certificate); XFA forms (scripts, and content that
pdfium and browsers do not show, so a reviewer would see something else than Acrobat shows);
files that need a password to open (they cannot be checked). A file protected only against
editing or printing opens without a password and is checked like any other.
"""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass

log = logging.getLogger(__name__)

# Limits of one check. A typical 5 MB PDF has a few thousand objects and takes ~0.2 s, most of
# it starting the child process (``python -m clusterdesk.bench_evidence``).
CHECK_TIMEOUT_SECONDS = 15
RENDER_TIMEOUT_SECONDS = 20
MEMORY_MB = 768  # address space of the child: Python and the libraries take ~150 MB of it
MAX_OBJECTS = 250_000  # a 20 MB scanned or office PDF has 10²–10⁴ objects
MAX_NODES = 3_000_000  # dictionaries and arrays visited, objects and what they hold
MAX_PAGES = 5_000
# The preview: pages drawn per request, resolution, and the longest side of a page image.
PREVIEW_PAGES = 5
PREVIEW_DPI = 110
PREVIEW_MAX_PIXELS = 1800

ADVICE = "请用“打印为 PDF”或“另存为 PDF”重新生成不含脚本、附件和动作的文件后上传。"
ACTIVE = {
    "javascript": "含有 JavaScript 脚本",
    "auto": "含有打开文件或翻页时自动执行的动作（OpenAction/AA）",
    "launch": "含有启动外部程序的动作（Launch）",
    "submit": "含有向外提交表单或导入数据的动作",
    "embedded": "内嵌了附件文件",
    "xfa": "是 XFA 动态表单（可含脚本，且网页和多数阅读器显示的内容与之不同）",
    "media": "含有多媒体、3D 或富媒体内容（可含脚本）",
}


def check_pdf(name: str, data: bytes) -> str | None:
    """None if the PDF may be accepted, else a Chinese message naming the file."""
    limits = (CHECK_TIMEOUT_SECONDS, MEMORY_MB, MAX_OBJECTS, MAX_PAGES, MAX_NODES)
    answer = _checked(hashlib.sha256(data).hexdigest(), limits, data)
    code = answer.get("refused")
    if code is None:
        return None
    detail = answer.get("detail", "")
    log.info("PDF evidence %r refused: %s %s", name, code, detail)
    if code in ACTIVE:
        return f"“{name}”{ACTIVE[code]}，不予接收：{ADVICE}"
    if code == "encrypted":
        return f"“{name}”设有打开密码，无法检查其内容，未上传：请上传未加密的 PDF 文件。"
    if code == "objects":
        return (
            f"“{name}”的内部对象过多（{detail} 个，上限 {MAX_OBJECTS} 个），"
            f"不是正常的文档，未上传：{ADVICE}"
        )
    if code == "pages":
        return f"“{name}”页数过多（{detail} 页，上限 {MAX_PAGES} 页），未上传：请拆分后分别上传。"
    if code in ("complex", "timeout"):
        return (
            f"“{name}”结构过于复杂，无法在限定的时间和内存内完成安全检查，未上传："
            "请重新导出（如“打印为 PDF”）后上传。"
        )
    return f"“{name}”已损坏，无法作为 PDF 读取，未上传：请重新导出或扫描后上传。"


def _checked(sha256: str, limits: tuple, data: bytes) -> dict:
    """The worker's verdict, kept for the last few hundred files: it depends only on the
    content and the limits, so a file uploaded again (to another item, by another county) is
    not parsed again. A timeout is not kept: the machine may just have been busy."""
    key = (sha256, limits)
    with _VERDICTS_LOCK:
        if key in _VERDICTS:
            _VERDICTS.move_to_end(key)
            return _VERDICTS[key]
    timeout, _, max_objects, max_pages, max_nodes = limits
    answer = _run(
        "check", data, timeout, max_objects=max_objects, max_pages=max_pages, max_nodes=max_nodes
    )
    if answer.get("refused") != "timeout":
        with _VERDICTS_LOCK:
            _VERDICTS[key] = answer
            while len(_VERDICTS) > KEPT_VERDICTS:
                _VERDICTS.popitem(last=False)
    return answer


KEPT_VERDICTS = 512
_VERDICTS: OrderedDict[tuple, dict] = OrderedDict()
_VERDICTS_LOCK = threading.Lock()


@dataclass(frozen=True)
class PageImage:
    number: int
    width: int
    height: int
    jpeg_base64: str

    @property
    def data_uri(self) -> str:
        return f"data:image/jpeg;base64,{self.jpeg_base64}"


@dataclass(frozen=True)
class Rendering:
    pages: int  # of the document
    images: list[PageImage]
    problem: str | None = None  # why nothing could be drawn (Chinese)


def render_pages(data: bytes, first: int, count: int = PREVIEW_PAGES) -> Rendering:
    """Images of pages ``first`` … ``first + count - 1`` (1-based) of a stored PDF."""
    answer = _run(
        "render",
        data,
        RENDER_TIMEOUT_SECONDS,
        first=first,
        count=count,
        dpi=PREVIEW_DPI,
        max_pixels=PREVIEW_MAX_PIXELS,
    )
    code = answer.get("refused")
    if code in ("complex", "timeout"):
        return Rendering(0, [], "该文件过于复杂，无法在限定的时间和内存内生成预览，请下载后查看。")
    if code is not None:
        return Rendering(0, [], "该文件无法读取，不能生成预览，请下载后查看。")
    images = [
        PageImage(image["page"], image["width"], image["height"], image["jpeg"])
        for image in answer.get("images", [])
    ]
    return Rendering(int(answer.get("pages", 0)), images)


def _run(command: str, data: bytes, timeout: float, **options: int) -> dict:
    """The worker's JSON answer; a timeout, a crash or a kill by a limit is an answer too."""
    argv = [sys.executable, "-I", "-m", "clusterdesk.evidence.pdfworker", command]
    argv += [f"--memory-mb={MEMORY_MB}", f"--cpu-seconds={int(timeout) + 1}"]
    argv += [f"--{key.replace('_', '-')}={value}" for key, value in options.items()]
    try:
        done = subprocess.run(argv, input=data, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:  # the child is killed by then
        return {"refused": "timeout"}
    if done.returncode != 0:
        # Killed by a limit (SIGKILL, SIGXCPU: negative codes) or aborted by the C++ runtime.
        log.warning("pdfworker %s exited with %s: %s", command, done.returncode, done.stderr[-500:])
        return {"refused": "complex" if done.returncode < 0 else "damaged"}
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        return {"refused": "damaged"}
    return answer if isinstance(answer, dict) else {"refused": "damaged"}
