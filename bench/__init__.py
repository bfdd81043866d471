"""Benchmarks of the DORIN portal (make bench); never run by the test suite."""
