"""Hypothesis settings shared by the fuzz tests: deterministic in CI, no deadlines."""

from __future__ import annotations

from hypothesis import HealthCheck, settings


def fuzz_settings(*also_suppress: HealthCheck) -> settings:
    """Derandomized, database-free settings with no deadline (runs are slow on 2 cores)."""
    return settings(
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, *also_suppress],
    )
