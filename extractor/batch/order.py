"""The order a batch's files are handed out in: the most work first (longest-processing-time
first), so that the pool ends with small files on every worker, not one long file on one
worker while the others idle.

The work of a file is estimated without parsing it (the parent never parses an input: a
hostile file must cost a worker, not the batch): the page count its page tree states
(`/Kids [...] /Count 82`, found by a byte search, in the whole file up to 32 MiB and in its
first and last 64 KiB beyond), each page weighing 1, or 50 where the file holds an image's
worth of bytes per page (a scan: OCR reads a page in about a second, the text layer in about
a hundredth; a bilevel scan of under 96 KiB a page passes for text). A file whose page count
is not in plain bytes (compressed object streams, a text file) weighs its size. The same read
hashes the file: the journal and "up to date" need its sha256, and a second read would only
repeat this one."""

from __future__ import annotations

import hashlib
import re
import stat
from dataclasses import dataclass
from pathlib import Path

_WINDOW = 1 << 16
_WHOLE = 32 << 20
_IMAGE_PAGE_BYTES = 96 << 10
_IMAGE_PAGE_WEIGHT = 50
_UNKNOWN_PAGE = 16 << 10
"""Bytes counted as one page of work when the page count cannot be read."""
_COUNT = re.compile(rb"/Count\s+(\d{1,6})")


@dataclass(frozen=True)
class InputScan:
    """What one read of an input gives the batch: its work estimate and its sha256."""

    work: int
    """In text-page units (see the module's note); 0 for what cannot be read."""
    sha256: str | None
    """None when the input is unreadable or not a plain file (a FIFO would never end)."""


def scan_input(path: Path) -> InputScan:
    """Read the file once: hash every byte, keep what the page count is searched in."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return InputScan(0, None)
        size = info.st_size
        digest = hashlib.sha256()
        kept: list[bytes] = []
        tail = b""
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
                if size <= _WHOLE or not kept:
                    kept.append(chunk if size <= _WHOLE else chunk[:_WINDOW])
                if size > _WHOLE:
                    tail = (tail + chunk)[-_WINDOW:]
    except OSError:
        return InputScan(0, None)
    parts = [b"".join(kept)] if size <= _WHOLE else [*kept, tail]
    pages = max((_stated_pages(part) for part in parts), default=0)
    if not pages:
        return InputScan(size // _UNKNOWN_PAGE, digest.hexdigest())
    weight = _IMAGE_PAGE_WEIGHT if size // pages >= _IMAGE_PAGE_BYTES else 1
    return InputScan(pages * weight, digest.hexdigest())


def _stated_pages(data: bytes) -> int:
    """The largest /Count of a page-tree node (a dictionary with /Kids: the root's is the
    document's page count; an outline's /Count has no /Kids), 0 if none is in plain bytes."""
    best = 0
    for m in _COUNT.finditer(data):
        opened = data.rfind(b"<<", max(0, m.start() - _WINDOW), m.start())
        closed = data.find(b">>", m.end(), m.end() + _WINDOW)
        if opened >= 0 and closed >= 0 and b"/Kids" in data[opened:closed]:
            best = max(best, int(m.group(1)))
    return best
