"""Deterministic synthetic population for demonstrations, training and benchmarks."""
