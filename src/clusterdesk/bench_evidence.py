"""What the evidence PDF checks cost: ``python -m clusterdesk.bench_evidence``.

Builds a typical ~5 MB evidence PDF (a 30-page report with photos, through LibreOffice when it
is installed, else with pikepdf), then measures the upload check (``check_pdf``) and the preview
of five pages (``render_pages``): median wall time and the child process's peak memory. It also
shows what the limits buy: a 1 MB PDF whose object stream inflates to 1 GB is refused within
the child's memory limit. Prints one line per measurement.
"""

from __future__ import annotations

import io
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
import pikepdf
from docx.shared import Cm
from PIL import Image

from clusterdesk.documents.pdf import convert_to_pdf, libreoffice_available
from clusterdesk.evidence import pdfcheck

ROUNDS = 5


def typical_pdf(target_mb: float = 5.0) -> tuple[bytes, str]:
    """A report of text pages and photos, about ``target_mb`` MB, and how it was made."""
    rng = random.Random(7)
    photos = []
    for index in range(8):
        # Smooth colour gradients with noise: compresses like a photo (~0.5 MB as JPEG).
        image = Image.radial_gradient("L").resize((1600, 1200)).convert("RGB")
        noise = Image.effect_noise((1600, 1200), 40 + index).convert("RGB")
        photo = Image.blend(image, noise, 0.35)
        out = io.BytesIO()
        photo.save(out, "JPEG", quality=int(80 + rng.random() * 10))
        photos.append(out.getvalue())
    try:
        return _through_libreoffice(photos), "LibreOffice (Word → PDF)"
    except Exception:  # no soffice here: a pikepdf document of the same shape
        return _with_pikepdf(photos), "pikepdf"


def _through_libreoffice(photos: list[bytes]) -> bytes:
    if not libreoffice_available():
        raise RuntimeError("no soffice")
    document = docx.Document()
    paragraph = "宁波市中小企业特色产业集群发展情况说明，产业链图谱与主要企业名单。" * 12
    for page in range(30):
        document.add_heading(f"第 {page + 1} 节 集群发展情况", level=1)
        for _ in range(5):
            document.add_paragraph(paragraph)
        if page % 4 == 0 and photos:
            document.add_picture(io.BytesIO(photos[(page // 4) % len(photos)]), width=Cm(15))
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "report.docx"
        document.save(source)
        (pdf,) = convert_to_pdf([source], Path(folder))
        return pdf.read_bytes()


def _with_pikepdf(photos: list[bytes]) -> bytes:
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont="/Helvetica"
        )
    )
    for number in range(30):
        page = pdf.add_blank_page(page_size=(595, 842))
        resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        lines = " ".join(f"0 -14 Td (Line {i} of page {number}) Tj" for i in range(50))
        content = f"BT /F1 11 Tf 60 800 Td {lines} ET"
        if number % 4 == 0:
            jpeg = photos[(number // 4) % len(photos)]
            image = pikepdf.Stream(pdf, jpeg)
            image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
            image.Width, image.Height, image.BitsPerComponent = 1600, 1200, 8
            image.ColorSpace, image.Filter = pikepdf.Name.DeviceRGB, pikepdf.Name.DCTDecode
            resources.XObject = pikepdf.Dictionary(Im1=image)
            content += " q 400 0 0 300 100 100 cm /Im1 Do Q"
        page.Resources = resources
        page.Contents = pdf.make_stream(content.encode())
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def bomb_pdf(megabytes: int = 1000, tail: bytes = b") >>") -> bytes:
    """A PDF of ~1 KB per GB whose object stream holds one object of ``megabytes`` MB of filler
    (then ``tail``): reading its objects needs that much memory. Also used by the tests."""
    data = _deflate_repeated([b"2 0 << /Filler (", b"A" * (1 << 20), tail], megabytes)
    objects = [
        b"<< /Type /Catalog /Pages 3 0 R /Filler 2 0 R >>",
        b"",  # object 2 is in the object stream, object 5
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 72 72] >>",
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(data)
        + data
        + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.5\n"), {}
    for number, body in enumerate(objects, start=1):
        if body:
            offsets[number] = len(out)
            out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    # A cross-reference stream (object 6), the only kind that can point into an object stream.
    rows = [b"\x00\x00\x00\x00\x00\xff\xff"]
    for number in range(1, 7):
        if number == 2:
            rows.append(b"\x02" + (5).to_bytes(4, "big") + bytes(2))
        else:
            rows.append(b"\x01" + offsets.get(number, len(out)).to_bytes(4, "big") + bytes(2))
    xref, start = b"".join(rows), len(out)
    out += b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % (
        len(xref)
    )
    out += xref + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


def _deflate_repeated(parts: list[bytes], times: int) -> bytes:
    """zlib data of parts[0] + parts[1] × times + parts[2], made in well under a second: a
    block compressed after a full flush does not depend on what came before it."""

    def raw(data: bytes, final: bool) -> bytes:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        return packer.compress(data) + packer.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)

    checksum = zlib.adler32(parts[0])
    for _ in range(times):
        checksum = zlib.adler32(parts[1], checksum)
    checksum = zlib.adler32(parts[2], checksum)
    body = raw(parts[0], False) + raw(parts[1], False) * times + raw(parts[2], True)
    return b"\x78\xda" + body + checksum.to_bytes(4, "big")


def _measure(run: Callable[[], object]) -> tuple[float, object, int]:
    """Median seconds of ROUNDS runs, the last result, and the peak RSS (MB) of a child."""
    times, result = [], None
    for _ in range(ROUNDS):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss >> 10
    return statistics.median(times), result, peak


def _child_peak(command: str, data: bytes) -> int:
    """Peak RSS (MB) of one worker run on its own, measured by /usr/bin/time-like rusage."""
    code = (
        "import resource,subprocess,sys;"
        f"subprocess.run([sys.executable,'-I','-m','clusterdesk.evidence.pdfworker','{command}'],"
        "input=sys.stdin.buffer.read(),capture_output=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss>>10)"
    )
    done = subprocess.run([sys.executable, "-c", code], input=data, capture_output=True, check=True)
    return int(done.stdout)


def main() -> None:
    data, how = typical_pdf()
    print(f"typical PDF: {len(data) / (1 << 20):.1f} MB, made with {how}")

    def check() -> str | None:
        pdfcheck._VERDICTS.clear()  # measure the parsing, not the cache of verdicts
        return pdfcheck.check_pdf("report.pdf", data)

    seconds, message, _ = _measure(check)
    print(
        f"upload check (check_pdf): median {seconds * 1000:.0f} ms, "
        f"child peak {_child_peak('check', data)} MB, verdict {message or 'accepted'}"
    )
    seconds, rendering, _ = _measure(lambda: pdfcheck.render_pages(data, 1, 5))
    print(
        f"preview of 5 pages (render_pages): median {seconds * 1000:.0f} ms, "
        f"child peak {_child_peak('render', data)} MB, {len(rendering.images)} images, "
        f"{sum(len(i.jpeg_base64) for i in rendering.images) / (1 << 10):.0f} KB as data: URIs"
    )
    bomb = bomb_pdf()
    start = time.perf_counter()
    message = pdfcheck.check_pdf("bomb.pdf", bomb)
    print(
        f"bomb ({len(bomb) / (1 << 20):.1f} MB → 1 GB object stream): "
        f"{time.perf_counter() - start:.2f} s, child limit {pdfcheck.MEMORY_MB} MB, "
        f"verdict {message or 'accepted'}"
    )


if __name__ == "__main__":
    main()
