from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEEDS = SAMPLES / "seeds"  # copies of ../shared/seeds, so a clone is self-contained


def _mini_document() -> dict[str, Any]:
    """A small hand-made result: one final account with one table, one project form."""
    return {
        "schema_version": "1",
        "source": {"file": "mini.pdf", "sha256": None, "pages": 3},
        "reports": [
            {
                "kind": "final_account",
                "department": "某某局",
                "fiscal_year": 2022,
                "pages": [1, 2],
                "evidence": {},
                "unit": "万元",
                "key_figures": {
                    "income_total": "1467.89",
                    "expenditure_total": "1468.53",
                    "carryover_end": None,
                },
                "tables": [
                    {
                        "id": "03",
                        "title": "支出决算表",
                        "pages": [2],
                        "columns": ["本年支出合计", "基本支出", "项目支出"],
                        "rows": [
                            {
                                "code": None,
                                "name": "合计",
                                "side": None,
                                "values": {
                                    "本年支出合计": "1468.53",
                                    "基本支出": "971.50",
                                    "项目支出": "497.02",
                                },
                            },
                            {
                                "code": "208",
                                "name": "社会保障和就业支出",
                                "side": None,
                                "values": {"本年支出合计": "76.21", "基本支出": "70.27", "项目支出": "5.94"},
                            },
                            {
                                "code": "210",
                                "name": "卫生健康支出",
                                "side": None,
                                "values": {
                                    "本年支出合计": "1358.08",
                                    "基本支出": "867.00",
                                    "项目支出": "491.09",
                                },
                            },
                            {
                                "code": "221",
                                "name": "住房保障支出",
                                "side": None,
                                "values": {"本年支出合计": "32.87", "基本支出": "32.87", "项目支出": None},
                            },
                        ],
                    }
                ],
            },
            {
                "kind": "project_self_eval",
                "department": "某某局",
                "fiscal_year": 2022,
                "pages": [3],
                "evidence": {},
                "project_name": "医保基金监督管理工作经费",
                "implementer": "某某局本级",
                "funds": {
                    "total": {"initial_budget": "35", "adjusted_budget": "35", "executed": "35"},
                    "current_year": None,
                    "carryover": None,
                    "other": None,
                },
                "funds_weight": "10",
                "execution_rate": "100",
                "funds_score": "10",
                "goal_planned": "市本级协议医疗机构日常检查覆盖率达到100%。",
                "goal_achieved": None,
                "indicators": [
                    {
                        "level1": "产出指标",
                        "level2": "数量指标",
                        "name": "日常检查覆盖率",
                        "target": "100%",
                        "actual": "100%",
                        "weight": "20",
                        "score": "20",
                        "note": None,
                    },
                    {
                        "level1": "满意度指标",
                        "level2": "服务对象满意度指标",
                        "name": "社会公众满意度",
                        "target": "≥95%",
                        "actual": "100%",
                        "weight": "10",
                        "score": "10",
                        "note": None,
                    },
                ],
                "total_score": "100",
                "budget_amount": None,
                "problems": ["全省标准未统一，网络建设迟滞。"],
                "measures": [],
            },
        ],
        "findings": [],
    }


@pytest.fixture
def mini_doc() -> dict[str, Any]:
    return copy.deepcopy(_mini_document())
