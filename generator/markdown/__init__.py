"""Markdown to safe HTML: the engine, its guards, heading ids, link rewriting, sanitising, tables of contents."""
