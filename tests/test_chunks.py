"""Layout-aware chunks of a real sample: sections and whole tables, never a table cut mid-row."""

from __future__ import annotations

from conftest import SAMPLES

from extractor.api import ExtractOptions, layout_file
from extractor.chunk import chunk_document, estimate_tokens
from extractor.core.types import TableBlock
from extractor.extract.rules.grid import grid_of, header_row_count


def test_chunks_cover_the_sample_with_provenance_and_budget() -> None:
    doc = layout_file(SAMPLES / "pdf" / "002_d741ed2ca5e3f399.pdf", ExtractOptions(ocr="never"), {})
    chunks = chunk_document(doc, max_tokens=600)
    assert {c.kind for c in chunks} == {"final_account", "overall_self_eval", "project_self_eval"}
    assert all(c.pages and c.tokens == estimate_tokens(c.text) for c in chunks)
    # Every chunk fits, except a single block (a form whose one row of prose is longer than the budget).
    assert all(c.tokens <= 600 or len(c.blocks) == 1 for c in chunks)
    parts = [c for c in chunks if c.table_part and c.kind == "final_account"]
    assert parts, "公开01表 and 06表 are longer than 600 tokens and must be split"
    for chunk in parts:
        (block,) = chunk.blocks
        assert isinstance(block, TableBlock)
        rows = grid_of(block.table)
        n_header = header_row_count(rows)
        assert n_header >= 1, "each part repeats the header rows"
        assert block.table.n_rows > n_header
    # The parts of each split table hold every body row of the whole table exactly once, in order.
    checked = 0
    for block in (b for b in doc.blocks if isinstance(b, TableBlock)):
        n_header = header_row_count(grid_of(block.table))
        head, body = block.table.row_texts()[:n_header], block.table.row_texts()[n_header:]
        mine = [c.blocks[0] for c in parts if c.blocks[0].table.row_texts()[:n_header] == head and n_header]  # type: ignore[union-attr]
        if mine:
            rejoined = [r for p in mine for r in p.table.row_texts()[n_header:]]  # type: ignore[union-attr]
            assert rejoined == body
            checked += 1
    assert checked >= 1
