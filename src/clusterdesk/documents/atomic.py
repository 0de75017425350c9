"""Writing an output file all at once or not at all.

The content goes to a hidden temporary file beside the target, which replaces the target only
when complete (``os.replace`` is atomic within a directory); on any failure the temporary file is
removed, so a crash, a timeout or bad input never leaves a half-written document behind.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A fresh temporary path to write; it becomes ``target`` when the block ends without error."""
    target = Path(target)
    while True:
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            temporary.open("xb").close()  # reserves the name; the mode follows the umask
            break
        except FileExistsError:
            continue
    try:
        yield temporary
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_atomic(target: Path, data: bytes) -> None:
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)
