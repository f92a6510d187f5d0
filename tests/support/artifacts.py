"""The folders the browser tests wrote files to (tests/browser/conftest.py: record_artifact)."""

WRITTEN = set()
