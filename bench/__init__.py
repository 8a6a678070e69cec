"""Benchmarks: side-by-side comparisons measured in one run (``python -m bench NAME...``)."""
