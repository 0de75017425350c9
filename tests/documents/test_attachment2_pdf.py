"""The example's Attachment 2 as PDF: parts 一–七 each start on a page of their own (不得串页)."""

from __future__ import annotations

import pytest

from clusterdesk.documents.attachment2_render import render_attachment2
from clusterdesk.documents.pdf import convert_to_pdf
from clusterdesk.form.example import example_application
from clusterdesk.form.schema import PART_TITLES
from tests.labels import normalise

from .helpers import needs_pdf_tools, pdf_pages

TABLE_PARTS = [PART_TITLES[f"part{number}"] for number in range(1, 8)]
LINES_BEFORE_HEADING = 2  # a running header or page number may precede the heading


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    work = tmp_path_factory.mktemp("attachment2")
    source = work / "申报表.docx"
    source.write_bytes(render_attachment2(example_application()))
    (made,) = convert_to_pdf([source], work)
    return pdf_pages(made)


def first_page_with(pages: list[str], heading: str) -> int:
    target = normalise(heading)
    return next(index for index, page in enumerate(pages) if target in normalise(page))


@pytest.mark.pdf
@needs_pdf_tools
def test_parts_one_to_seven_start_on_pages_in_order(pages):
    starts = [first_page_with(pages, heading) for heading in TABLE_PARTS]
    assert starts == sorted(starts)
    assert len(set(starts)) == len(starts), dict(zip(TABLE_PARTS, starts, strict=True))


@pytest.mark.pdf
@needs_pdf_tools
@pytest.mark.parametrize("heading", TABLE_PARTS)
def test_each_part_heading_opens_its_page(pages, heading):
    page = pages[first_page_with(pages, heading)]
    lines = [normalise(line) for line in page.splitlines() if line.strip()]
    position = next(index for index, line in enumerate(lines) if normalise(heading) in line)
    assert position <= LINES_BEFORE_HEADING, lines[: position + 1]


@pytest.mark.pdf
@needs_pdf_tools
def test_no_part_runs_onto_the_page_where_the_next_begins(pages):
    starts = [first_page_with(pages, heading) for heading in TABLE_PARTS]
    for previous, heading, start in zip(TABLE_PARTS, TABLE_PARTS[1:], starts[1:], strict=False):
        assert normalise(previous) not in normalise(pages[start]), heading
