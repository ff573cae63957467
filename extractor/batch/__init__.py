"""Bulk runs: inputs, the per-file function, executors (process pool, Ray), results, journal, export."""
