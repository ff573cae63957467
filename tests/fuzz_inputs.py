"""Mutation fuzz of `extractor extract`: damaged and hostile inputs in one batch with good files.

    python tests/fuzz_inputs.py --cases 10000 --seed 1 --jobs 2     # by hand, long
    (tests/test_fuzz.py runs a few hundred cases in the suite)

Cases are made from the sample PDFs (byte flips, truncation, removed xref,
duplicated objects, broken /Count, page-tree cycles, huge or negative page
boxes, deep nesting, self-referencing forms, spliced and zeroed regions) plus
hand-made hostile files (decompression-bomb PNGs, many-frame TIFFs, odd image
modes, big and binary text, odd file names). The batch runs in a subprocess;
the verdict checks: no traceback or internal error, one line per input, no
file stopped by the timeout, every worker's peak memory under the cap, and
the good files' results byte-identical to a run of the good files alone.
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOOD = [SAMPLES / "pdf" / "000_d041a5389ba04b30.pdf", SAMPLES / "pdf" / "003_fa808c88f47e4303.pdf"]
SOURCES = [*GOOD, SAMPLES / "pdf" / "002_d741ed2ca5e3f399.pdf"]

Mutation = Callable[[random.Random, bytes], bytes]


def flip(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 64)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(1, len(data))]


def no_xref(rng: random.Random, data: bytes) -> bytes:
    data = data.replace(b"startxref", b"startxrex")
    return re.sub(rb"xref\s", b"xxxx ", data) if rng.random() < 0.5 else data


def duplicate_objects(rng: random.Random, data: bytes) -> bytes:
    objects = list(re.finditer(rb"\d+ 0 obj.*?endobj", data, re.S))
    if not objects:
        return flip(rng, data)
    extra = b"\n".join(rng.choice(objects).group(0) for _ in range(rng.randint(1, 20)))
    at = rng.randrange(len(data))
    return data[:at] + b"\n" + extra + b"\n" + data[at:]


def wrong_count(rng: random.Random, data: bytes) -> bytes:
    value = rng.choice([b"0", b"-1", b"999999999", b"2147483648", b"1e9"])
    return re.sub(rb"/Count \d+", b"/Count " + value, data)


def huge_page(rng: random.Random, data: bytes) -> bytes:
    box = rng.choice([b"[0 0 1e9 1e9]", b"[0 0 -5 -5]", b"[0 0 0 0]", b"[0 0 14400 14400]", b"[1 2 3]"])
    return re.sub(rb"/MediaBox\s*\[[^\]]*\]", b"/MediaBox " + box, data)


def zero_region(rng: random.Random, data: bytes) -> bytes:
    start = rng.randrange(len(data))
    size = rng.randint(1, 4096)
    return data[:start] + b"\0" * size + data[start + size :]


def splice(rng: random.Random, data: bytes) -> bytes:
    a, b = sorted(rng.randrange(len(data)) for _ in range(2))
    c = rng.randrange(len(data))
    return data[:c] + data[a:b] + data[c:]


MUTATIONS: list[Mutation] = [
    flip,
    truncate,
    no_xref,
    duplicate_objects,
    wrong_count,
    huge_page,
    zero_region,
    splice,
]


def _pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF with a correct xref for the given object bodies (numbered from 1)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    )
    return out.getvalue()


def page_tree_cycle(rng: random.Random) -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
        ]
    )


def deep_nesting(rng: random.Random) -> bytes:
    depth = rng.choice([1000, 10000, 100000])
    content = b"[" * depth + b"]" * depth
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Foo " + content + b" >>",
            b"<< /Length 0 >>\nstream\n\nendstream",
        ]
    )


def form_loop(rng: random.Random) -> bytes:
    stream = b"/X1 Do"
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /X1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X1 5 0 R >> >> /Length %d >>\nstream\n"
            % len(stream)
            + stream
            + b"\nendstream",
        ]
    )


def many_pages(rng: random.Random) -> bytes:
    n = rng.choice([1200, 5000])
    kids = b" ".join(b"3 0 R" for _ in range(n))
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )


@functools.lru_cache(maxsize=4)
def _png(width: int, height: int) -> bytes:
    sys.path.insert(0, str(ROOT / "tests"))
    from hostile import png_bomb

    with tempfile.TemporaryDirectory() as tmp:
        return png_bomb(Path(tmp) / "b.png", width, height).read_bytes()


def image_case(rng: random.Random) -> tuple[str, bytes]:
    from PIL import Image

    kind = rng.choice(["bomb", "tiny", "strip", "frames", "mode16", "palette", "cmyk", "truncated"])
    buffer = io.BytesIO()
    if kind == "bomb":
        return "bomb.png", _png(rng.choice([12000, 16000]), rng.choice([12000, 16000]))
    if kind == "tiny":
        Image.new("L", (1, 1), rng.randrange(256)).save(buffer, "PNG")
    elif kind == "strip":
        Image.new("L", (rng.choice([1, 3]), 4000), 255).save(buffer, "PNG")
    elif kind == "frames":
        frames = [Image.new("L", (8, 8), 255) for _ in range(rng.choice([20, 1200]))]
        frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:])
        return "frames.tiff", buffer.getvalue()
    elif kind == "mode16":
        Image.new("I;16", (64, 64), 0).save(buffer, "PNG")
    elif kind == "palette":
        image = Image.new("P", (40, 40), 0)
        image.info["transparency"] = 0
        image.save(buffer, "PNG", transparency=0)
    elif kind == "cmyk":
        Image.new("CMYK", (40, 40), (0, 0, 0, 0)).save(buffer, "JPEG")
        return "cmyk.jpg", buffer.getvalue()
    else:
        Image.new("RGB", (300, 300), (255, 255, 255)).save(buffer, "PNG")
        data = buffer.getvalue()
        return "truncated.png", data[: rng.randrange(8, len(data))]
    return f"{kind}.png", buffer.getvalue()


def text_case(rng: random.Random) -> tuple[str, bytes]:
    kind = rng.choice(["binary", "big", "longnum", "wide", "nul"])
    if kind == "binary":
        return "binary.txt", bytes(rng.randrange(256) for _ in range(4096))
    if kind == "big":
        return "big.txt", (
            "一般公共预算财政拨款收入\t1,467.16\n" * 400_000
        ).encode()  # ~12 MB: over the limit
    if kind == "longnum":
        return "longnum.txt", ("部门决算\n收入合计\t" + "9" * 5000 + "." + "1" * 3000 + "\n").encode()
    if kind == "wide":
        return "wide.txt", ("部门决算\n" + "\t".join(["1.00"] * 20000) + "\n").encode()
    return "nul.txt", b"\0" * 1000


ODD_NAMES = [b"caf\xe9-\xff", "报告".encode() * 40, b"new\nline", b"-rf", b" spaced name ", b"x" * 200]


@dataclass
class Case:
    name: bytes
    data: bytes
    how: str


@dataclass
class Verdict:
    cases: int
    seconds: float
    problems: list[str] = field(default_factory=list)
    errors: int = 0
    ok: int = 0
    timeouts: int = 0
    peak_rss_mb: float = 0.0


def make_cases(n: int, seed: int) -> list[Case]:
    rng = random.Random(seed)
    sources = [p.read_bytes() for p in SOURCES]
    builders: list[tuple[str, Callable[[random.Random], bytes]]] = [
        ("cycle", page_tree_cycle),
        ("nesting", deep_nesting),
        ("formloop", form_loop),
        ("manypages", many_pages),
    ]
    cases: list[Case] = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.75:
            mutation = rng.choice(MUTATIONS)
            source = rng.choices(range(len(sources)), weights=[5, 5, 1])[0]
            data = sources[source]
            for _ in range(rng.choice([1, 1, 2])):
                data = mutation(rng, data)
            name, how = f"m{i:05d}.pdf", f"{mutation.__name__}({SOURCES[source].name})"
        elif roll < 0.83:
            label, build = rng.choice(builders)
            data, name, how = build(rng), f"h{i:05d}.pdf", label
        elif roll < 0.93:
            name, data = image_case(rng)
            how, name = f"image {name}", f"i{i:05d}-{name}"
        else:
            name, data = text_case(rng)
            how, name = f"text {name}", f"t{i:05d}-{name}"
        raw = name.encode()
        if rng.random() < 0.05:  # keep the case number: two cases must never share a file name
            raw = rng.choice(ODD_NAMES) + b"-%05d." % i + raw.rpartition(b".")[2]
        cases.append(Case(name=raw, data=data, how=how))
    return cases


def _extract(
    folder: Path, out: Path, jobs: int, timeout: float, memory_mb: int, wall: float
) -> tuple[int, str]:
    command = [sys.executable, "-m", "extractor.cli", "extract", "-q", "-j", str(jobs), "--ocr", "auto"]
    command += ["--timeout", str(timeout), "--max-memory", str(memory_mb), "-o", str(out), str(folder)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(command, capture_output=True, timeout=wall, env=env, check=False)
    return proc.returncode, proc.stderr.decode("utf-8", "replace")


def _comparable(path: Path) -> object:
    """A result without `source.path` (where that run read its input, which the batches differ in)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data.get("source", {}).pop("path", None)
    return data


def run(cases: list[Case], jobs: int = 2, timeout: float = 60, memory_mb: int = 2048) -> Verdict:
    start = time.monotonic()
    verdict = Verdict(cases=len(cases), seconds=0.0)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        folder, good = base / "in", base / "good"
        folder.mkdir()
        good.mkdir()
        for case in cases:
            with open(os.path.join(os.fsencode(folder), case.name), "wb") as handle:
                handle.write(case.data)
        for path in GOOD:
            (folder / f"good-{path.name}").write_bytes(path.read_bytes())
            (good / f"good-{path.name}").write_bytes(path.read_bytes())
        wall = 120 + len(cases) * 5
        code, err = _extract(folder, base / "out", jobs, timeout, memory_mb, wall)
        _, _ = _extract(good, base / "ref", jobs, timeout, memory_mb, wall)
        verdict.seconds = time.monotonic() - start
        if code not in (0, 1):
            verdict.problems.append(f"exit status {code}")
        for bad in ("Traceback", "internal error"):
            if bad in err:
                verdict.problems.append(f"{bad}: {_context(err, bad)}")
        for line in err.splitlines():
            if not (line.startswith(_PREFIXES) or _CHECKS_LINE.search(line)):
                verdict.problems.append(f"a line that is not one file's status: {line[:200]!r}")
        lines = [line for line in err.splitlines() if line.startswith(("ok: ", "error: "))]
        verdict.ok = sum(line.startswith("ok: ") for line in lines)
        verdict.errors = sum(line.startswith("error: ") for line in lines)
        if len(lines) != len(cases) + len(GOOD):
            verdict.problems.append(f"{len(lines)} result lines for {len(cases) + len(GOOD)} inputs")
        verdict.timeouts = err.count("took longer than the limit")
        if verdict.timeouts:
            verdict.problems.append(
                f"{verdict.timeouts} file(s) hit the {timeout:g} s timeout: {_context(err, 'took longer')}"
            )
        for journal in (base / "out" / "_runs").glob("*.jsonl"):
            for line in journal.read_text(encoding="utf-8").splitlines():
                entry = json.loads(line)
                verdict.peak_rss_mb = max(verdict.peak_rss_mb, float(entry.get("peak_rss_mb") or 0))
        if verdict.peak_rss_mb > memory_mb:
            verdict.problems.append(
                f"a worker's peak memory {verdict.peak_rss_mb:.0f} MB is over {memory_mb} MB"
            )
        for path in GOOD:
            name = f"good-{path.stem}.json"
            mine, ref = base / "out" / name, base / "ref" / name
            if not mine.exists() or _comparable(mine) != _comparable(ref):
                verdict.problems.append(
                    f"good file {path.name}: result differs from a run of the good files alone"
                )
    return verdict


_PREFIXES = ("ok: ", "error: ", "skip: ", "note: ", "summary: ")
_CHECKS_LINE = re.compile(r": \d+ checks, \d+ failed ")


def _context(text: str, needle: str) -> str:
    at = text.find(needle)
    return text[max(0, at - 300) : at + 300].replace("\n", " | ")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=1000, help="cases per extract run")
    parser.add_argument("--start", type=int, default=0, help="skip the batches before this case (resume)")
    args = parser.parse_args()
    total = Verdict(cases=0, seconds=0.0)
    for offset in range(args.start, args.cases, args.batch):
        cases = make_cases(min(args.batch, args.cases - offset), args.seed + offset)
        verdict = run(cases, jobs=args.jobs)
        total.cases += verdict.cases
        total.seconds += verdict.seconds
        total.ok += verdict.ok
        total.errors += verdict.errors
        total.timeouts += verdict.timeouts
        total.peak_rss_mb = max(total.peak_rss_mb, verdict.peak_rss_mb)
        total.problems += verdict.problems
        print(
            f"{offset + verdict.cases} cases, {total.seconds:.0f} s, {len(total.problems)} problems",
            flush=True,
        )
        for problem in verdict.problems:
            print(f"PROBLEM (seed {args.seed + offset}):", problem, flush=True)
    print(
        f"cases {total.cases}  ok {total.ok}  error lines {total.errors}  timeouts {total.timeouts}  "
        f"peak worker memory {total.peak_rss_mb:.0f} MB  problems {len(total.problems)}  {total.seconds:.0f} s"
    )
    return 1 if total.problems else 0


if __name__ == "__main__":
    sys.exit(main())
