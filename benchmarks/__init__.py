"""Benchmarks run by `make bench` (a script, never a timed test)."""
