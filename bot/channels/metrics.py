"""A few Prometheus metrics kept in memory and written in the text exposition format."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

FAILURES = ("error", "unavailable", "undelivered")
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


@dataclass
class Metrics:
    """Update counts by outcome and a latency histogram of processed updates."""

    outcomes: Counter[str] = field(default_factory=Counter)
    buckets: list[int] = field(default_factory=lambda: [0] * len(LATENCY_BUCKETS))
    latency_sum: float = 0.0
    latency_count: int = 0

    def observe(self, outcome: str, seconds: float | None = None) -> None:
        """Count one request with its outcome, and its processing time if it was processed."""
        self.outcomes[outcome] += 1
        if seconds is None:
            return
        self.latency_sum += seconds
        self.latency_count += 1
        for index, bound in enumerate(LATENCY_BUCKETS):
            if seconds <= bound:
                self.buckets[index] += 1

    def render(self) -> str:
        """The metrics in Prometheus text format."""
        lines = [
            "# HELP hipbot_updates_total Webhook requests by outcome.",
            "# TYPE hipbot_updates_total counter",
        ]
        lines += [
            f'hipbot_updates_total{{outcome="{name}"}} {count}'
            for name, count in sorted(self.outcomes.items())
        ]
        errors = sum(self.outcomes[name] for name in FAILURES)
        lines += [
            "# HELP hipbot_errors_total Updates that failed (store down, undelivered, error).",
            "# TYPE hipbot_errors_total counter",
            f"hipbot_errors_total {errors}",
            "# HELP hipbot_update_seconds Time to process an update, save it and send replies.",
            "# TYPE hipbot_update_seconds histogram",
        ]
        lines += [
            f'hipbot_update_seconds_bucket{{le="{bound}"}} {count}'
            for bound, count in zip(LATENCY_BUCKETS, self.buckets, strict=True)
        ]
        lines += [
            f'hipbot_update_seconds_bucket{{le="+Inf"}} {self.latency_count}',
            f"hipbot_update_seconds_sum {self.latency_sum:.6f}",
            f"hipbot_update_seconds_count {self.latency_count}",
        ]
        return "\n".join(lines) + "\n"
