"""Ingest: files to pages of text lines and ruling lines (text layer, OCR, or plain text)."""
