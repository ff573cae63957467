"""The fork server the local pool's workers are forked from, and what it imports first.

Kept free of the pipeline's own imports: the command line starts the server before anything
else, so that the server's imports run on one core while the command line's own start-up
runs on the other."""

from __future__ import annotations

import multiprocessing

PRELOAD = [
    "extractor.batch.work",
    "extractor.api",
    "extractor.ingest.pdf",
    "extractor.ingest.text",
    "extractor.layout.blocks",
    "extractor.extract.rules.dispatch",
    "extractor.check",
]
"""Imported once by the fork server (never an OCR engine: onnxruntime's threads must not be forked)."""


def context() -> multiprocessing.context.ForkServerContext:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def start_fork_server() -> None:
    """Start the fork server now (idempotent; does not wait for its imports)."""
    context()
    from multiprocessing import forkserver

    forkserver.ensure_running()
