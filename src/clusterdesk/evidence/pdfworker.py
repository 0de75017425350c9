"""The child process that reads untrusted PDFs: ``python -I -m clusterdesk.evidence.pdfworker``.

Parsing a hostile PDF can take any amount of memory (a compressed object stream inflates 1000×)
or time (a malformed file sends a parser down a long repair), and a bug in a C++ parser can
crash it. So the parsing never runs in a web worker: the worker starts this module with the PDF
on standard input and a wall-clock timeout (``pdfcheck``); here the kernel caps the address
space and CPU time before any parser is loaded, and writing files is forbidden. The answer is
one JSON object on standard output. No Django here.

    check --max-objects N --max-pages N --max-nodes N
        {"pages": n} or {"refused": code, "detail": text}; qpdf (pikepdf) reads every object.
    render --first N --count N --dpi N --max-pixels N
        {"pages": n, "images": [{"page", "width", "height", "jpeg" (base64)}]}; pdfium draws.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import resource
import sys

# Action types (/S) refused wherever they are: they run code, start programs, send data away,
# open embedded files, or play media whose players have scripts of their own.
ACTIVE_ACTIONS = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/SubmitForm": "submit",
    "/ImportData": "submit",
    "/GoToE": "embedded",
    "/Rendition": "media",
    "/Movie": "media",
    "/Sound": "media",
    "/RichMediaExecute": "media",
    "/GoTo3DView": "media",
}
# Annotations that embed media, 3D models (with their own JavaScript) or files.
ACTIVE_ANNOTATIONS = {
    "/RichMedia": "media",
    "/3D": "media",
    "/Movie": "media",
    "/Sound": "media",
    "/Screen": "media",
    "/FileAttachment": "embedded",
}


class Refused(Exception):
    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.code, self.detail = code, detail


def limit_resources(memory_mb: int, cpu_seconds: int) -> None:
    """Kernel limits for this process: past them it gets MemoryError or is killed."""
    memory = memory_mb << 20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # nothing to write but the pipe
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


# --- check ------------------------------------------------------------------------------------


def check(data: bytes, max_objects: int, max_pages: int, max_nodes: int) -> dict:
    import pikepdf  # noqa: PLC0415 - after the limits: its libraries load inside them

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise Refused("encrypted") from None
    except pikepdf.PdfError as exc:
        raise Refused("damaged", str(exc)[:200]) from None
    with pdf:
        # The cross-reference table is read at opening; counting it resolves no object.
        objects = len(pdf.get_xref_table())
        if objects > max_objects:
            raise Refused("objects", str(objects))
        _check_catalog(pdf.Root, pikepdf)
        everything = pdf.objects
        _check_unread(pdf, everything)
        _walk(everything, pikepdf, max_nodes)
        pages = len(pdf.pages)
        if pages > max_pages:
            raise Refused("pages", str(pages))
        return {"pages": pages}


def _check_catalog(root, pikepdf) -> None:
    """What only the document catalog can say: run on opening, document-level scripts, files,
    XFA. (Everything else is judged object by object in ``_walk``.)"""
    if not isinstance(root, pikepdf.Dictionary):
        raise Refused("damaged", "no catalog")
    opening = root.get("/OpenAction")
    # An /OpenAction that is a destination ([page /Fit]) only scrolls; an action must be a plain
    # GoTo, with nothing chained after it.
    if isinstance(opening, pikepdf.Dictionary) and (
        opening.get("/S") != pikepdf.Name.GoTo or "/Next" in opening
    ):
        action = str(opening.get("/S", ""))
        raise Refused(ACTIVE_ACTIONS.get(action, "auto"), f"OpenAction {action}")
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        if "/JavaScript" in names:
            raise Refused("javascript", "Names")
        if "/EmbeddedFiles" in names:
            raise Refused("embedded", "EmbeddedFiles")
    if "/Collection" in root:  # a portfolio: the viewer shows its embedded files instead
        raise Refused("embedded", "Collection")
    form = root.get("/AcroForm")
    if isinstance(form, pikepdf.Dictionary) and "/XFA" in form:
        raise Refused("xfa")


def _check_unread(pdf, objects) -> None:
    """qpdf reads on past what it cannot: an object stream that does not inflate within the
    memory limit, or an object it cannot parse, becomes ``null`` and a warning. What it could
    not read cannot be checked, and a viewer with more memory or other repairs may read it
    (a script hidden behind a gigabyte of filler), so such a file is refused."""
    warnings = pdf.get_warnings()
    if any("bad_alloc" in warning or "length_error" in warning for warning in warnings):
        raise Refused("complex", "memory")
    if warnings and any(obj is None for obj in objects):
        raise Refused("damaged", warnings[-1][:200])


def _walk(objects, pikepdf, max_nodes: int) -> None:
    """Every object of the file, with the dictionaries and arrays written inside it.

    ``pdf.objects`` lists every object of the cross-reference table, including those in
    compressed object streams and those no page uses, so nothing is hidden by where it sits.
    References to other objects are not followed: each is visited on its own. Every call into
    pikepdf costs microseconds, so a dictionary is looked into only when one of its keys is
    one that matters (a set operation on its keys).
    """
    types = pikepdf.ObjectType
    dictionary, stream, array = types.dictionary, types.stream, types.array
    containers = (dictionary, array)
    pdf_object = pikepdf.Object
    nodes = 0
    for top in objects:
        todo = [top]
        while todo:
            node = todo.pop()
            nodes += 1
            if nodes > max_nodes:
                raise Refused("complex", str(nodes))
            if not isinstance(node, pdf_object):  # a number or null, converted by pikepdf
                continue
            code = node._type_code
            if code is dictionary or code is stream:
                keys = node.keys()
                if keys & _TELLING_KEYS:
                    _check_dictionary(node, keys, pikepdf)
                children = node.values()
            elif code is array:
                children = node
            else:
                continue
            # Scalars come back as Python values; only direct containers are walked into.
            todo.extend(
                child
                for child in children
                if isinstance(child, pdf_object)
                and child._type_code in containers
                and not child.is_indirect
            )


_TELLING_KEYS = frozenset({"/S", "/JS", "/AA", "/Subtype", "/EF"})


def _check_dictionary(node, keys: set[str], pikepdf) -> None:
    if "/S" in keys:
        subtype = str(node.get("/S"))
        if subtype in ACTIVE_ACTIONS:
            raise Refused(ACTIVE_ACTIONS[subtype], subtype)
        if "/JS" in keys:  # the script of any action (a Rendition's, say)
            raise Refused("javascript", "JS")
    if "/AA" in keys:
        # Additional actions run on events (page shown, field left, document closed…) without
        # a click. A font resource may be named /AA too; an action dictionary has an /S.
        additional = node.get("/AA")
        if isinstance(additional, pikepdf.Dictionary) and any(
            isinstance(action, pikepdf.Dictionary) and "/S" in action
            for action in additional.values()
        ):
            raise Refused("auto", "AA")
    if "/Subtype" in keys and ("/Rect" in keys or "/Type" in keys):
        kind = str(node.get("/Subtype"))
        if kind in ACTIVE_ANNOTATIONS and ("/Rect" in keys or node.get("/Type") == "/Annot"):
            raise Refused(ACTIVE_ANNOTATIONS[kind], kind)
    if "/EF" in keys:  # a file specification with the file inside
        raise Refused("embedded", "EF")


# --- render -----------------------------------------------------------------------------------


def render(data: bytes, first: int, count: int, dpi: int, max_pixels: int) -> dict:
    import pypdfium2 as pdfium  # noqa: PLC0415 - as pikepdf above

    document = pdfium.PdfDocument(data)
    try:
        total = len(document)
        images = []
        for index in range(max(first, 1) - 1, min(first - 1 + count, total)):
            page = document[index]
            try:
                width, height = page.get_size()  # points; pdfium applies /Rotate itself
                # At most ``dpi`` and at most ``max_pixels`` along either side: a page may
                # declare a box of several metres.
                scale = min(dpi / 72, max_pixels / max(width, height, 1))
                bitmap = page.render(scale=scale, draw_annots=True)
                image = bitmap.to_pil().convert("RGB")
            finally:
                page.close()
            out = io.BytesIO()
            image.save(out, "JPEG", quality=82, optimize=True)
            images.append(
                {
                    "page": index + 1,
                    "width": image.width,
                    "height": image.height,
                    "jpeg": base64.b64encode(out.getvalue()).decode("ascii"),
                }
            )
        return {"pages": total, "images": images}
    finally:
        document.close()


# --- entry point ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pdfworker")
    parser.add_argument("command", choices=("check", "render"))
    parser.add_argument("--memory-mb", type=int, default=768)
    parser.add_argument("--cpu-seconds", type=int, default=20)
    parser.add_argument("--max-objects", type=int, default=250_000)
    parser.add_argument("--max-pages", type=int, default=5_000)
    parser.add_argument("--max-nodes", type=int, default=3_000_000)
    parser.add_argument("--first", type=int, default=1)
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--dpi", type=int, default=110)
    parser.add_argument("--max-pixels", type=int, default=2000)
    args = parser.parse_args(argv)
    limit_resources(args.memory_mb, args.cpu_seconds)
    data = sys.stdin.buffer.read()
    try:
        if args.command == "check":
            answer = check(data, args.max_objects, args.max_pages, args.max_nodes)
        else:
            answer = render(data, args.first, args.count, args.dpi, args.max_pixels)
    except Refused as refused:
        answer = {"refused": refused.code, "detail": refused.detail}
    except MemoryError:
        answer = {"refused": "complex", "detail": "memory"}
    except Exception as exc:  # any parser failure means the same: this file cannot be read
        answer = {"refused": "damaged", "detail": f"{type(exc).__name__}: {exc}"[:200]}
    sys.stdout.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
