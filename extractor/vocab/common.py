"""Wording every report kind shares: where the department's name is printed."""

from __future__ import annotations

DEPARTMENT_LABELS = (
    "编制部门",
    "编制单位",
    "预算主管部门",
    "主管部门",
    "预算单位",
    "部门名称",
    "单位名称",
    "部门",
    "部 门",
    "填报单位",
)
"""`label：name` lines (most specific first; `部 门:` is how some covers space it)."""

ORGANISATION_ENDINGS = (
    "局|委员会|委|办公室|办公厅|厅|院|中心|部|所|站|会|馆|队|处|室|街道办事处|政府|学校|医院"
)
"""How a department's or unit's name ends (a signature line is one of these alone)."""

CONTENTS_COLUMN_HEADERS = ("序号", "报表名称", "名称", "页码", "表号")
"""The header row of a 目录 printed as a table (`序号 报表名称 页码`), not an entry."""

TABLE_TITLE_OPTIONAL_WORDS = ("一般公共预算", "财政拨款", "支出")
"""Words a table's title may carry in the 目录 and drop in the body (or the reverse):
`一般公共预算“三公”经费…支出预算表` printed `“三公”经费…支出预算表`."""

EMPTY_TABLE_CLAIM = r"故本表(?:为空|无数据)|本表为空|本表无数据|此表为空|以空表(?:列示|公开)"
"""A printed claim that a table is empty, in so many words (`…故本表为空表。`); narrower than
the empty-note patterns that read a bare `无…` line as such a note under an empty grid."""

PART_MARK = r"^其中[:：]?"
"""A line printed as part of the line above (`其中：当年财政拨款`)."""

OCR_LOST_LEADING_ONE = ("、", "般公共预算", "般性转移支付")
"""Line openings that are not Chinese without a 一 in front of them. 一 is one thin stroke,
and OCR's text detector leaves it out of a line's box when it starts the line (real pages
scanned: `一般公共预算机关运行经费支出预算表` read `般公共预算…`, `一、财政拨款` read `、财政拨款`).
An OCR'd line that opens so gets its 一 back (ingest/image.py)."""

OCR_ONE_READ_AS = r"[·・.\-—–~]"
"""What a thin 一 is read as when it is not left off: on a black-and-white (1 bit) scan its
stroke breaks up, and `一般公共预算基本支出` read `·般公共预算基本支出`. Such a mark in front of
an OCR_LOST_LEADING_ONE opening (`般公共预算` anywhere, `、` opening the line) is the 一."""

OCR_LOST_START = r"^[（(]?[一二三四五六七八九十\d]{1,3}[、.．）)]$"
"""What OCR's detector may leave off the start of a line in a table cell, and a re-read from
the cell's border may put back (ingest/missed_text.py): a list number, `一、` above all
(a thin stroke and a dot; `一、一般公共预算财政拨款` read `一般公共预算财政拨款` on an archive
scan). Nothing else is added to a line, so a speck read as `-` never makes an amount negative."""

OCR_LOST_END = r"^-?[\d,]*\d[.,]?\|\d{1,4}%?$"
"""An amount (before the `|`) and the digits OCR's detector left off its end (after it),
against a cell's right border (`6.` + `4`); matched by ingest/missed_text.py on `old|added`,
which also wants the whole an AMOUNT_CELL."""

AMOUNT_CELL = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,4})?%?"
"""A table cell's text that is one amount, as OCR may give it (full match)."""

TABLE_TITLE_QUALIFIER = r"(?<=表)\s*[（(][^（）()]{1,8}[）)]$"
"""A short qualifier a body prints after a table's title and a 目录 leaves off
(`财政拨款支出预算表（功能科目）` listed as `财政拨款支出预算表`)."""
