"""A county officer's whole declaration in a real browser: create, fill every page, upload
evidence, make and fix an error, self-check, submit, download the Word document.

The officer is 北仑区's (``beilun``): the demo has no application for 北仑区, and the form core's
example is a 北仑 cluster, so the example's values are exactly what this officer would type.
Every page is saved as a full-page screenshot in ``test-artifacts/screenshots/<page>.png``.
"""

from __future__ import annotations

import re
from typing import Any

import docx
import pytest
from playwright.sync_api import Page, expect

from clusterdesk.form.example import example_json
from tests.browser.conftest import log_in, screenshot_path

pytestmark = pytest.mark.browser

PAGES = ("cover", *(f"part{n}" for n in range(1, 10)), "attachment1")
# Filled through the “从 Excel 粘贴多行” box, as anyone with 386 patents in a spreadsheet would;
# the other lists are short and typed row by row with “添加一行”.
PASTED_LISTS = {"part3.patents_list"}
SAVE_TIMEOUT_MS = 30_000


def tiny_pdf(text: str) -> bytes:
    """A small but valid one-page PDF (header, objects, cross-reference table, trailer)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def value_at(data: dict[str, Any], path: str) -> Any:
    value: Any = data
    for key in path.split("."):
        value = value[key]
    return value


def as_text(value: Any) -> str:
    return "" if value is None else str(value)


def box(page: Page, path: str):
    return page.locator(f'#application-form [data-path="{path}"][data-kind]')


def status(page: Page):
    return page.locator("#autosave-status")


def wait_saved(page: Page) -> None:
    try:
        expect(status(page)).to_have_attribute("data-state", "saved", timeout=SAVE_TIMEOUT_MS)
    except AssertionError as failure:
        # Say which boxes hold it up (conflict, refused value) rather than only the status.
        states = page.locator(".field-state").evaluate_all(
            "(els) => els.filter((el) => el.textContent.trim())"
            ".map((el) => el.dataset.stateFor + ': ' + el.textContent.trim())"
        )
        raise AssertionError(f"{status(page).text_content()}；{states}") from failure
    expect(status(page)).to_contain_text("已保存")


def fields_on(page: Page) -> list[tuple[str, str]]:
    """(path, kind) of each input on the page, once per path (a radio group is one path)."""
    return page.evaluate(
        """() => {
            const seen = new Set();
            const out = [];
            document.querySelectorAll('#application-form [data-path][data-kind]').forEach((el) => {
                if (!seen.has(el.dataset.path)) {
                    seen.add(el.dataset.path);
                    out.push([el.dataset.path, el.dataset.kind]);
                }
            });
            return out;
        }"""
    )


def fill_list(page: Page, path: str, rows: list[dict[str, Any]]) -> None:
    row = page.locator(f'.list-row[data-row="{path}"]')
    columns = row.locator("thead th[data-col]").evaluate_all(
        "(ths) => ths.map((th) => th.dataset.col)"
    )
    if path in PASTED_LISTS:
        row.locator("details.paste-rows summary").click()
        tsv = "\n".join("\t".join(as_text(item.get(c)) for c in columns) for item in rows)
        row.locator(".paste-area").fill(tsv + "\n")
        row.locator(".paste-apply").click()
    else:
        for item in rows:
            row.locator(".add-row").click()
            cells = row.locator("tbody tr.list-item").last.locator("[data-col]")
            for index, column in enumerate(columns):
                cell = cells.nth(index)
                text = as_text(item.get(column))
                if cell.evaluate("(el) => el.tagName") == "SELECT":
                    cell.select_option(text)
                else:
                    cell.fill(text)
    expect(row.locator("tbody tr.list-item")).to_have_count(len(rows))


def fill_page(page: Page, data: dict[str, Any]) -> int:
    """Types the example's values into every input of the page; returns how many were set."""
    filled = 0
    for path, kind in fields_on(page):
        value = value_at(data, path)
        if kind == "list":
            fill_list(page, path, value)
        elif kind == "radio":
            if value is None:
                continue
            wait_saved(page)  # see below
            page.locator(f'input[data-path="{path}"][value="{value}"]').check()
        elif kind == "checkbox":
            # A click aims at a point on the page; a save answered meanwhile redraws findings
            # above it and moves the box. Aim once the page is still, as a person would.
            wait_saved(page)
            box(page, path).set_checked(value is True)
        elif kind == "lines":
            box(page, path).fill("\n".join(value))
        else:  # number, text, date
            box(page, path).fill(as_text(value))
        filled += 1
    # Leave the last box, as a person moving on would: its change is sent at once.
    page.locator("#page-title").click()
    return filled


def upload_evidence(page: Page, data: dict[str, Any]) -> list[str]:
    """One small PDF for each 佐证材料 slot the filled page shows (ticked box, 是, count > 0)."""
    uploaded = []
    slots = page.locator("[data-evidence-for]:not([hidden])")
    paths = slots.evaluate_all("(els) => els.map((el) => el.dataset.evidenceFor)")
    assert set(paths) == {p for p in data["evidence"] if p.startswith(f"{page_key(page)}.")}
    for path in paths:
        # Named after the example's file, but always a PDF: the content must match the name.
        stem = data["evidence"][path][0]["name"].rsplit(".", 1)[0]
        name = f"{stem}.pdf"
        widget = page.locator(f'[data-evidence-for="{path}"] .evidence-widget')
        # Choosing a file uploads it at once (evidence.js); the widget is then replaced.
        widget.locator("input[type=file]").set_input_files(
            files=[{"name": name, "mimeType": "application/pdf", "buffer": tiny_pdf(path)}]
        )
        # The upload is checked in a child process (evidence.pdfcheck): on a loaded machine
        # that takes longer than Playwright's default 5 s.
        expect(widget.locator(".evidence-files")).to_contain_text(name, timeout=SAVE_TIMEOUT_MS)
        expect(widget.locator(".evidence-messages .error")).to_have_count(0)
        uploaded.append(name)
    return uploaded


def page_key(page: Page) -> str:
    return page.locator("#application-form").get_attribute("data-page")


def document_text(path) -> str:
    document = docx.Document(path)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def create_application(page: Page) -> str:
    """From the dashboard, as the officer would; returns the application's URL."""
    page.goto("/county/")
    expect(page.locator("h1")).to_contain_text("北仑区经济和信息化局")
    expect(page.get_by_text("本单位在本轮次尚无申报。")).to_be_visible()
    page.get_by_role("button", name="新建申报").click()
    page.wait_for_url(re.compile(r"/applications/\d+/form/cover/$"))
    return page.url.rsplit("/form/", 1)[0]


def fill_every_page(page: Page, application_url: str, data: dict[str, Any]) -> None:
    evidence: list[str] = []
    for key in PAGES:
        page.goto(f"{application_url}/form/{key}/")
        expect(page.locator("#application-form")).to_have_attribute("data-page", key)
        assert fill_page(page, data) > 0, key
        wait_saved(page)
        evidence += upload_evidence(page, data)
        # Each upload redraws the findings: “须上传佐证材料” goes without a reload …
        expect(page.locator(".field-findings .finding.error")).to_have_count(0)
        entry = page.locator(f'.form-pages li[data-page="{key}"]')
        expect(entry.locator(".issues .errors")).to_have_count(0)
        # … and a fresh load shows the same: complete, without errors.
        page.reload()
        expect(page.locator(".field-findings .finding.error")).to_have_count(0)
        page.screenshot(path=screenshot_path(key), full_page=True)
        expect(entry).to_have_class(re.compile(r"\bcomplete\b"))
        expect(entry.locator(".issues .errors")).to_have_count(0)
    assert len(evidence) == len(data["evidence"])

    # Everything typed was saved: a fresh load of the pages shows the values from the server.
    page.goto(f"{application_url}/form/part3/")
    patents = page.locator('table[data-path="part3.patents_list"] tbody tr.list-item')
    expect(patents).to_have_count(len(data["part3"]["patents_list"]))
    expect(box(page, "part3.sme_employees")).to_have_value(str(data["part3"]["sme_employees"]))


def make_and_fix_an_error(page: Page, application_url: str) -> None:
    """A third decimal in 集群总产值 2021: the hint while typing, the finding under the field
    and the count in the page list once saved; all gone when corrected."""
    page.goto(f"{application_url}/form/part2/")
    # The README's picture of the form (docs/screenshot-form.png): part 二 with every page done.
    page.screenshot(path=screenshot_path("form-part2-viewport"))
    output = box(page, "part2.total_output.2021")
    hint = page.locator('[data-hint-for="part2.total_output.2021"]')
    findings = page.locator('.field-findings[data-for="part2.total_output"]')
    page_errors = page.locator('.form-pages li[data-page="part2"] .errors')
    expect(findings.locator(".finding.error")).to_have_count(0)

    output.fill("108.605")
    expect(hint).to_contain_text("保留小数点后2位")
    output.press("Tab")
    wait_saved(page)
    expect(findings.locator(".finding.error")).to_contain_text("保留小数点后2位")
    expect(page_errors).to_have_text("1 处错误")
    page.screenshot(path=screenshot_path("part2-error"))

    output.fill("108.60")
    output.press("Tab")
    wait_saved(page)
    expect(findings.locator(".finding.error")).to_have_count(0)
    expect(hint).to_have_text("")
    expect(page_errors).to_have_count(0)


def self_check(page: Page, application_id: str, cluster_name: str) -> None:
    page.goto(f"/county/applications/{application_id}/check/")
    expect(page.locator("h1")).to_contain_text(cluster_name)
    expect(page.locator("strong.error").first).to_have_text("0")  # 填报检查：0 处错误
    expect(page.locator("#findings .level.error, #findings .finding.error")).to_have_count(0)
    expect(page.locator("#criteria h2")).to_contain_text("认定标准预检")
    expect(page.locator("#criteria h3").first).to_be_visible()
    expect(page.locator("#targets")).to_contain_text("2025年目标值检查")
    page.screenshot(path=screenshot_path("selfcheck"), full_page=True)


def submit(page: Page, application_url: str, application_id: str, cluster_name: str) -> None:
    """From the self-check page: confirm, see 已提交 on the dashboard and a read-only form."""
    page.get_by_role("link", name="提交", exact=True).click()
    expect(page.locator("h1")).to_contain_text("提交申报")
    page.get_by_role("button", name="确认提交").click()
    page.wait_for_url(re.compile(r"/county/$"))
    row = page.locator(f"#application-{application_id}")
    expect(row.locator(".state")).to_have_text("已提交")
    expect(row).to_contain_text(cluster_name)
    page.screenshot(path=screenshot_path("dashboard-submitted"), full_page=True)

    page.goto(f"{application_url}/form/part2/")
    expect(status(page)).to_have_attribute("data-state", "readonly")
    expect(box(page, "part2.total_output.2021")).to_be_disabled()
    expect(box(page, "part2.total_output.2021")).to_have_value("108.60")  # 保留小数点后2位
    expect(page.locator("form.evidence-upload")).to_have_count(0)


def download_attachment2(page: Page, application_id: str, tmp_path) -> str:
    """附件2 as Word from the dashboard; returns the document's text."""
    page.goto("/county/")
    link = page.locator(f"#application-{application_id}").get_by_role("link", name="附件2 Word")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    saved = tmp_path / "attachment2.docx"
    download.save_as(saved)
    return document_text(saved)


def test_county_officer_declares_a_cluster_from_start_to_finish(page: Page, tmp_path):
    data = example_json()
    cluster_name = data["part1"]["cluster_name"]

    log_in(page, "beilun")
    application_url = create_application(page)
    application_id = application_url.rsplit("/", 1)[1]
    fill_every_page(page, application_url, data)
    make_and_fix_an_error(page, application_url)
    self_check(page, application_id, cluster_name)
    submit(page, application_url, application_id, cluster_name)

    text = download_attachment2(page, application_id, tmp_path)
    assert cluster_name in text
    assert "一、基本情况" in text
