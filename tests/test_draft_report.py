"""One report from segmentation to checks: drafts carry their own segment and narrative, and a
value's evidence comes from the paragraph's offsets (never searched for again)."""

from __future__ import annotations

from pathlib import Path

from pdfgen import PageSpec, make_pdf

from extractor.api import ExtractOptions, layout_file
from extractor.core.types import Paragraph, SourceSpan
from extractor.extract.rules.dispatch import extract_drafts
from extractor.extract.rules.evidence import span_of


def test_a_character_range_maps_to_the_lines_that_printed_it() -> None:
    first = SourceSpan(page=3, bbox=(72, 700, 520, 712), text="本年度政府采购支出总额")
    second = SourceSpan(page=4, bbox=(72, 80, 300, 92), text="12.34万元，其中货物采购5万元。")
    para = Paragraph(text=first.text + second.text, spans=(first, second), offsets=(0, len(first.text)))
    start = para.text.index("12.34")
    span = span_of(para, start, start + len("12.34万元"))
    assert (span.page, span.bbox, span.text) == (4, (72, 80, 300, 92), "12.34万元")
    across = span_of(para, para.text.index("总额"), start + 5)
    assert across.page == 3 and across.text == "总额12.34"  # the range starts on page 3


def test_each_draft_carries_its_segment_and_narrative(tmp_path: Path) -> None:
    pages = [
        PageSpec(
            lines=[("2023年度江北区民政局部门整体支出绩效自评报告", 16.0), ("本局核定编制52名。", 10.0)]
        ),
        PageSpec(lines=[("2023年度项目支出绩效自评报告", 16.0), ("项目资金执行率为95%。", 10.0)]),
    ]
    doc = layout_file(make_pdf(pages, tmp_path / "two.pdf"), ExtractOptions(ocr="never"), {})
    drafts = extract_drafts(doc)
    assert [(d.segment.kind, d.report.kind) for d in drafts] == [
        ("overall_self_eval", "overall_self_eval"),
        ("project_self_eval", "project_self_eval"),
    ]
    first, second = ([p.text for p in d.narrative] for d in drafts)
    assert first[-1] == "本局核定编制52名。" and "项目资金执行率为95%。" not in first
    assert second[-1] == "项目资金执行率为95%。" and "本局核定编制52名。" not in second
    assert drafts[1].blocks == tuple(doc.blocks[drafts[1].segment.start : drafts[1].segment.end])
