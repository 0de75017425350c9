"""Word → PDF through LibreOffice headless, when it is installed.

Starting LibreOffice costs seconds, so a batch converts in ONE ``soffice`` call. Each call gets a
profile directory of its own (``-env:UserInstallation``): two conversions at once would otherwise
fight over the user profile, and a profile left broken by a crash would break every later call.
A call that hangs is killed with its whole process group after the timeout.

LibreOffice runs at a lower CPU priority (``nice``, CLUSTERDESK_PDF_NICENESS, default 10), so that
on a busy server the pages people are typing into keep the CPU and the PDFs wait: a nice-10
process gets about a tenth of a core that a normal one also wants. ``nice`` is the command, not
``os.nice`` in ``preexec_fn``, which is unsafe in a threaded web worker.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from ..conf import env_int
from .errors import PdfError, PdfUnavailable

BASE_TIMEOUT = 90.0  # start-up with a fresh profile, on a slow machine
PER_FILE_TIMEOUT = 30.0
DEFAULT_NICENESS = 10


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_available() -> bool:
    return soffice_path() is not None


def niceness() -> int:
    """CLUSTERDESK_PDF_NICENESS (0–19; 0 runs LibreOffice at normal priority)."""
    return env_int(os.environ, "CLUSTERDESK_PDF_NICENESS", default=DEFAULT_NICENESS, minimum=0)


def lower_priority(command: list[str]) -> list[str]:
    """``command`` run through ``nice`` at ``niceness()``, when both apply."""
    level = min(niceness(), 19)
    nice = shutil.which("nice")
    return [nice, "-n", str(level), *command] if level and nice else command


def default_timeout(count: int) -> float:
    return BASE_TIMEOUT + PER_FILE_TIMEOUT * count


def convert_to_pdf(paths: Sequence[Path], outdir: Path, timeout: float | None = None) -> list[Path]:
    """The PDFs of ``paths`` in ``outdir`` (same stems), made by one LibreOffice call."""
    paths = [Path(path) for path in paths]
    if not paths:
        return []
    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable()
    stems = [path.stem for path in paths]
    if len(set(stems)) != len(stems):
        raise ValueError("convert_to_pdf: file names must differ (the PDFs share one directory)")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    targets = [outdir / f"{stem}.pdf" for stem in stems]
    for target in targets:
        target.unlink(missing_ok=True)  # a stale PDF must not pass for a fresh one
    timeout = default_timeout(len(paths)) if timeout is None else timeout

    with tempfile.TemporaryDirectory(prefix="clusterdesk-lo-") as profile:
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *(str(path.resolve()) for path in paths),
        ]
        _run(command, timeout, len(paths), profile)

    missing = [
        path.name for path, target in zip(paths, targets, strict=True) if not target.is_file()
    ]
    if missing:
        raise PdfError(f"LibreOffice 未能将以下文件转换为 PDF：{'、'.join(missing)}")
    return targets


def _run(command: list[str], timeout: float, count: int, profile: str) -> None:
    env = dict(os.environ, HOME=profile)  # nothing of LibreOffice's lands in the user's home
    try:
        process = subprocess.Popen(
            lower_priority(command),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # its own process group, so a timeout kills all of it
        )
    except OSError as exc:
        raise PdfUnavailable(
            f"无法启动 LibreOffice（{exc.strerror or exc}），无法生成 PDF"
        ) from exc
    try:
        _stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        _kill_group(process)
        raise PdfError(
            f"生成 PDF 超时：LibreOffice 在 {timeout:.0f} 秒内未完成 {count} 个文件的转换，已终止"
        ) from exc
    finally:
        if process.poll() is None:
            _kill_group(process)
    if process.returncode != 0:
        detail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise PdfError(f"LibreOffice 转换 PDF 失败（退出码 {process.returncode}）{detail[0]}")


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):  # it ended on its own meanwhile
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


class Kept(Protocol):
    """Where a document's PDF is kept (a file in the configured store): its content if there,
    and a write that readers see whole or not at all."""

    def read(self) -> bytes | None: ...

    def write(self, content: bytes) -> None: ...


def kept_pdf(kept: Kept, docx: Callable[[], bytes]) -> bytes:
    """The PDF of an issued document kept in ``kept``, converted from ``docx()`` the first time.

    Issued documents (a 公示 notice, a 通报) never change, so one conversion serves every
    download. Raises ``PdfError`` (Chinese) when it cannot be made."""
    content = kept.read()
    if content is not None:
        return content
    with tempfile.TemporaryDirectory(prefix="clusterdesk-kept-") as work:
        source = Path(work) / "document.docx"
        source.write_bytes(docx())
        (pdf,) = convert_to_pdf([source], Path(work) / "pdf")
        content = pdf.read_bytes()
    kept.write(content)
    return content
