"""Benchmarks: a synthetic Vietnamese corpus (corpus.py) and the side-by-side build runner (build_bench.py)."""
