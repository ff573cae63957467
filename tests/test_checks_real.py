"""The checkers on a published 部门决算 (samples/real/pdf, 上海市普陀区规划和自然资源局 2024):
every genuine error found by reading it (gold notes, samples/real/gold/notes/<stem>.md) is
flagged, and every statement verified correct by reading passes."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from extractor import extract
from extractor.api import ExtractOptions
from extractor.schemas import Finding

PDF = ROOT / "samples" / "real" / "pdf" / "shanghai_putuo_guihuaziyuan_2024_bmjs.pdf"

# (check, words of its message): the reading that found it. Severity: error unless a rounding-level
# slip or a wording defect (warnings).
GENUINE = [
    (
        "cross.same_row",
        "卫生健康支出 (all funds): 公开01表 prints 236.63, 公开03表 prints 236.64",
    ),  # p7 vs p10
    (
        "cross.same_row",
        "城乡社区支出 (all funds): 公开01表 prints 3845.25, 公开03表 prints 3845.24",
    ),  # p7 vs p11
    ("cross.same_row", "卫生健康支出 (general-budget appropriation): 公开04表 prints 236.63"),  # p12 vs p14
    ("table.balance", "公开04表 支出: 本年合计: printed 9746.50"),  # p13: rows add to 9746.49
    ("table.row_total", "合计 / 合计: printed 9746.50, Σ 5364.75 + 4381.74"),  # p15
    ("table.row_total", "212 城乡社区支出 / 合计: printed 3832.36"),  # p14: 1572.70 + 2259.65
    ("table.row_total", "21201 城乡社区管理事务 / 合计: printed 1092.80"),  # p14: 1084.02 + 8.77
    ("table.row_total", "2120101 行政运行 / 合计: printed 1092.80"),  # p14
    ("table.basic_detail", "人员经费合计: printed 4884.09, Σ 4816.14 + 67.96"),  # p16
    ("table.basic_detail", "302 商品和服务支出: printed 440.90"),  # p16: 27 items add to 440.88
    (
        "narrative.table_amount",
        "一般公共预算财政拨款基本支出: the narrative states 5377.64, the table prints 5364.75",
    ),  # p24
    ("narrative.table_amount", "人员经费: the narrative states 4896.98, the table prints 4884.09"),  # p24
    (
        "narrative.table_amount",
        "210 卫生健康支出 (公开05表): the narrative states 236.63, the table prints 236.64",
    ),  # p21
    ("prose.item_list", "年初预算 of the 13 items"),  # p21-24: 10210.33 vs 10210.34
    ("prose.split", "政府采购 2319.21"),  # p27: 122.43 + 1387.72 + 809.07 = 2319.22
    ("template.leftover", "下降（增长）"),  # p25
    ("template.department_name", "“上海市规划和自然资源局”"),  # p7 heading drops 普陀区
    ("template.department_name", "“上海市普陀区规划与自然资源局”"),  # p26: 与 for 和
    ("wording.typography", "a rate without its % sign: “1193.20万元，增长13.95。”"),  # p21
    (
        "narrative.level_name",
        "机关事业单位退休人员活动费支出（项）",
    ),  # p22: tables print 其他行政事业单位养老支出
    ("narrative.level_name", "其他国土资源事务支出（项）"),  # p24: tables print 其他自然资源事务支出
    ("narrative.level_name", "住房保障支出（款）"),  # p24: tables print 住房改革支出
    ("wording.typography", "unbalanced （）"),  # p27: （其中，… never closed
]

# Statements verified correct by reading: each is recomputed and passes.
CORRECT = [
    ("prose.change", "1062.85"),  # p20: 9859.38, +1062.85 → 12.08%
    ("prose.change", "1193.20"),  # p20: 9746.50, +1193.20 → 13.95%
    ("prose.change", "13.52"),  # p27: 142.80, −13.52 → 8.65%
    ("prose.share", "5377.64万元，占55.10%"),  # p20, of 本年支出合计 9759.38
    ("prose.share", "4381.74万元，占44.90%"),
    ("prose.completion_rate", "452.40"),  # p22: 446.11 / 452.40 = 98.61%
    ("prose.completion_rate", "2.85"),  # p25: 0.39 / 2.85 = 13.68%
    ("wording.direction", "决算数小于"),  # p21-24: every 小于 / 持平 agrees with its two amounts
    ("narrative.table_amount", "“三公” 合计 预算"),  # p25: 2.85 = 公开09表
    ("contents.body", "七、财政拨款“三公”经费支出决算表"),  # the 目录 entry is printed
    ("cross.same_row", "社会保障和就业支出 (all funds)"),
]


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    return extract(PDF, ExtractOptions(ocr="never")).findings


def _find(findings: list[Finding], check: str, words: str, status: str) -> list[Finding]:
    return [f for f in findings if f.check == check and words in f.message and f.status == status]


@pytest.mark.parametrize(("check", "words"), GENUINE)
def test_every_genuine_error_is_flagged(findings: list[Finding], check: str, words: str) -> None:
    assert _find(findings, check, words, "fail"), [f.message for f in findings if f.check == check]


@pytest.mark.parametrize(("check", "words"), CORRECT)
def test_every_verified_statement_passes(findings: list[Finding], check: str, words: str) -> None:
    assert _find(findings, check, words, "pass")
    assert not _find(findings, check, words, "fail")


def test_no_error_beyond_the_genuine_ones(findings: list[Finding]) -> None:
    errors = [f for f in findings if f.status == "fail" and f.severity == "error"]
    genuine = [f for f in errors if any(f.check == c and w in f.message for c, w in GENUINE)]
    assert errors == genuine


def test_rounding_slips_are_warnings_that_print_both_numbers(findings: list[Finding]) -> None:
    (slip,) = _find(findings, "table.basic_detail", "人员经费合计", "fail")
    assert slip.severity == "warning" and "4884.09" in slip.message and "4884.10" in slip.message


def test_truncated_rates_pass_by_policy(findings: list[Finding]) -> None:
    # 9746.50 / 10210.34 = 95.457…% printed 95.45%; 9746.50 / 9759.38 = 99.868…% printed 99.86%.
    for check, words in (("prose.completion_rate", "10210.34"), ("prose.share", "99.86%")):
        (rate,) = [f for f in findings if f.check == check and words in f.message]
        assert rate.status == "pass" and "truncated" in rate.message


def test_the_document_exists() -> None:
    assert Path(PDF).is_file()
