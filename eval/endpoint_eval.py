"""`extractor eval --backend llm --endpoint perfect|noisy`: the LLM path measured against a reader
that knows the gold (`eval.endpoints`), per corpus and report kind.

    ceiling          of the gold values of the LLM's sections that the document prints, the share
                     the result holds from the model (`sources` llm or both) — what a model that
                     reads perfectly can reach through this plumbing
    wrong stopped    of the distinct wrong values the reader sent, the share kept out of the result
                     by grounding and the checkers
    right lost       of the fields the reader answered right (value and a quote holding it), the
                     share the result does not hold

The documents are laid out a second time to find the printed gold values (what any reader
could see), so the ceiling also charges the text each request carries.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from extractor.api import ExtractionRun, ExtractOptions, layout_file
from extractor.core.errors import ConfigError
from extractor.core.paths import get_path
from extractor.eval.dataset import Sample, load_gold
from extractor.eval.endpoints import READERS, Reader, ReaderName, ReaderServer, Sent
from extractor.eval.harness import PipelineRun, SampleResult, run_eval
from extractor.eval.normalize import values_equal
from extractor.eval.reading import INDICATOR_KEYS, find_line
from extractor.extract.llm.config import LlmConfig
from extractor.extract.llm.sections import sections_for
from extractor.render import build_chunk

_ROW = re.compile(r"^(\w+)\[(\d+)\](?:\.(\w+))?$")


@dataclass
class Tally:
    printed: int = 0
    reached: int = 0
    wrong: int = 0
    stopped: int = 0
    right: int = 0
    lost: int = 0
    misses: list[str] = field(default_factory=list)
    through: list[str] = field(default_factory=list)
    lost_values: list[str] = field(default_factory=list)
    noise: dict[str, list[int]] = field(default_factory=dict)
    """noise kind → [wrong values sent, stopped]."""

    def share(self, part: int, whole: int) -> str:
        return "n/a" if whole == 0 else f"{Decimal(part) / Decimal(whole):.4f}"


def _gold_values(report: dict[str, Any]) -> list[tuple[str, Any, str]]:
    """(path, gold value, field) of every value the LLM's sections ask for (rows: per value)."""
    out: list[tuple[str, Any, str]] = []
    for section in sections_for(str(report.get("kind"))):
        for spec in section.fields:
            gold = get_path(report, spec.path)
            if gold is None or gold == [] or gold == "":
                continue
            if spec.kind == "items":
                out += [(f"{spec.path}[{i}]", item, spec.path) for i, item in enumerate(gold)]
            elif spec.kind == "indicators":
                for i, row in enumerate(gold):
                    out += [
                        (f"{spec.path}[{i}].{k}", row[k], spec.path)
                        for k in INDICATOR_KEYS
                        if row.get(k) is not None
                    ]
            else:
                out.append((spec.path, gold, spec.path))
    return out


def holds(
    result: dict[str, Any], gold_report: dict[str, Any], path: str, value: Any, row_name: Any = None
) -> bool:
    """Whether the result report holds `value` at `path` from the model (sources llm or both)."""
    m = _ROW.match(path)
    field_name = m.group(1) if m else path
    sources = result.get("sources") or {}
    if sources.get(field_name) not in ("llm", "both"):
        return False
    if m is None:
        got = get_path(result, path)
        return got is not None and values_equal(value, got)[0]
    rows = result.get(field_name) or []
    if m.group(3) is None:
        return any(values_equal(value, item)[0] for item in rows)
    key = m.group(3)
    if row_name is None:
        gold_rows = gold_report.get(field_name) or []
        index = int(m.group(2))
        row_name = gold_rows[index].get("name") if index < len(gold_rows) else None
    return any(
        isinstance(r, dict)
        and values_equal(row_name, r.get("name"))[0]
        and values_equal(value, r.get(key))[0]
        for r in rows
        if r.get(key) is not None
    )


def _pairs(gold: dict[str, Any], result: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Gold and result reports paired by kind, in document order."""
    out = []
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for report in result.get("reports") or []:
        by_kind[str(report.get("kind"))].append(report)
    for report in gold.get("reports") or []:
        queue = by_kind.get(str(report.get("kind"))) or []
        out.append((report, queue.pop(0) if queue else {}))
    return out


class EndpointPipeline:
    """An eval pipeline that runs `extract --llm full` against a reader server and tallies what it did."""

    def __init__(
        self,
        reader: ReaderName,
        run: Callable[[Path, ExtractOptions], ExtractionRun],
        options: ExtractOptions,
        seed: int = 12,
    ) -> None:
        self.reader = Reader(reader, seed=seed)
        self.server = ReaderServer(self.reader).__enter__()
        self.run = run
        self.config = LlmConfig(base_url=self.server.base_url, model=f"{reader}-reader", cache_dir=None)
        self.options = options.model_copy(update={"llm": "full", "llm_config": self.config})
        self.tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)

    def close(self) -> None:
        self.server.__exit__(None, None, None)

    def __call__(self, path: Path) -> PipelineRun:
        gold = load_gold(path.parent.parent / "gold" / f"{path.stem}.json")
        corpus = path.parent.parent.name
        self.reader.use(path.stem, gold)
        before = len(self.reader.sent)
        try:
            result = self.run(path, self.options)
        except Exception:
            self._tally(corpus, path, gold, {"reports": []}, [])
            raise
        document: dict[str, Any] = result.document.model_dump(mode="json")
        self._tally(corpus, path, gold, document, self.reader.sent[before:])
        llm = document.pop("llm", None) or {}
        for report in document.get("reports") or []:
            report.pop("sources", None)
        info = {"backend": "llm", "llm_endpoint": self.reader.name, "llm_calls": str(llm.get("calls", 0))}
        return PipelineRun(
            document=document, pages=result.pages, stage_seconds=result.stage_seconds, info=info
        )

    def _tally(
        self, corpus: str, path: Path, gold: dict[str, Any], result: dict[str, Any], sent: list[Sent]
    ) -> None:
        doc = layout_file(path, ExtractOptions(ocr=self.options.ocr), {})
        lines = [ln for ln in build_chunk(list(doc.blocks), limit=10**9).text.split("\n") if ln.strip()]
        for gold_report, report in _pairs(gold, result):
            tally = self.tallies[(corpus, str(gold_report.get("kind")))]
            for value_path, value, _ in _gold_values(gold_report):
                if find_line(value, lines, ()) is None:
                    continue
                tally.printed += 1
                if holds(report, gold_report, value_path, value):
                    tally.reached += 1
                else:
                    tally.misses.append(f"{path.stem}: {value_path} = {value}")
        pairs = _pairs(gold, result)
        wrong: dict[tuple[str, str, str | None], Sent] = {}
        right: dict[str, Sent] = {}
        for s in sent:
            if s.right and not s.noise:
                right.setdefault(f"{s.report}|{s.section}|{s.path}|{s.row_name}", s)
            elif not s.right:
                wrong.setdefault((f"{s.report}|{s.section}|{s.path}", s.value, s.row_name), s)
        for (key, value, row_name), s in wrong.items():
            gold_report, report = pairs[s.report] if s.report >= 0 else ({}, {})
            tally = self.tallies[(corpus, s.section.split(".")[0])]
            through = holds(report, gold_report, s.path, value, row_name)
            tally.wrong += 1
            tally.stopped += not through
            counts = tally.noise.setdefault(s.noise or "other", [0, 0])
            counts[0] += 1
            counts[1] += not through
            if through:
                tally.through.append(f"{path.stem}: {key} = {value} ({s.noise})")
        for key, s in right.items():
            gold_report, report = pairs[s.report]
            tally = self.tallies[(corpus, s.section.split(".")[0])]
            tally.right += 1
            if not holds(report, gold_report, s.path, s.value, s.row_name):
                tally.lost += 1
                tally.lost_values.append(f"{path.stem}: {key} = {s.value}")

    def summary(self) -> dict[str, Any]:
        rows = []
        for (corpus, kind), t in sorted(self.tallies.items()):
            rows.append(
                {
                    "corpus": corpus,
                    "kind": kind,
                    "printed": t.printed,
                    "reached": t.reached,
                    "ceiling": t.share(t.reached, t.printed),
                    "wrong_sent": t.wrong,
                    "wrong_stopped": t.share(t.stopped, t.wrong),
                    "right_sent": t.right,
                    "right_lost": t.share(t.lost, t.right),
                    "noise": {k: {"sent": v[0], "stopped": v[1]} for k, v in sorted(t.noise.items())},
                    "misses": t.misses[:100],
                    "let_through": t.through[:100],
                    "right_values_lost": t.lost_values[:100],
                }
            )
        return {"endpoint": self.reader.name, "seed": self.reader.seed, "rows": rows}

    def render(self) -> str:
        data = self.summary()
        seed = f", seed {data['seed']}" if data["endpoint"] == "noisy" else ""
        out = [f"LLM path against the {data['endpoint']} reader (127.0.0.1{seed}):"]
        out.append(f"{'corpus':8} {'kind':20} {'ceiling':>16} {'wrong stopped':>20} {'right lost':>16}")
        for r in data["rows"]:
            ceiling = f"{r['ceiling']} ({r['reached']}/{r['printed']})"
            stopped = f"{r['wrong_stopped']} (of {r['wrong_sent']})"
            lost = f"{r['right_lost']} (of {r['right_sent']})"
            out.append(f"{r['corpus']:8} {r['kind']:20} {ceiling:>16} {stopped:>20} {lost:>16}")
        return "\n".join(out) + "\n"

    def write(self, directory: Path) -> Path:
        path = directory / f"endpoint_{self.reader.name}.json"
        path.write_text(json.dumps(self.summary(), ensure_ascii=False, indent=2), encoding="utf-8")
        return path


def run_endpoint_eval(
    samples: list[Sample], backend: str, reader: str, out: Path, seed: int = 12
) -> list[SampleResult]:
    """`extractor eval --backend llm --endpoint perfect|noisy [--seed N]`: the harness's results,
    and the endpoint's table printed and written to `out/endpoint_<reader>.json`."""
    from extractor.api import run

    if backend != "llm" or reader not in READERS:
        raise ConfigError("--endpoint perfect|noisy measures the LLM path: use it with --backend llm")
    pipeline = EndpointPipeline(reader, run, ExtractOptions(), seed=seed)
    try:
        results = run_eval(samples, pipeline)
    finally:
        pipeline.close()
    sys.stdout.write(pipeline.render())
    out.mkdir(parents=True, exist_ok=True)
    print(f"endpoint report: {pipeline.write(out)}")
    return results
