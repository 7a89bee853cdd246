"""The shape of ``knowledge/return_to_running.yaml``: a walk-run plan and its pain zones."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.knowledge.model import Id, Sources, Text

Pain = Annotated[int, Field(ge=0, le=10)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PainZones(_Strict):
    """Pain during a run, 0–10: up to ``safe_max`` is safe, up to ``acceptable_max``
    acceptable, above it too much (the pain-monitoring model)."""

    safe_max: Pain
    acceptable_max: Pain
    sources: Sources

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.acceptable_max < self.safe_max:
            raise ValueError("acceptable_max must be at least safe_max")
        return self


class PlanStep(_Strict):
    """One step of the plan: what to do, and how many safe runs in a row move on."""

    id: Id
    name: Text
    runs: Annotated[int, Field(ge=1, le=10)]


class RunningPlan(_Strict):
    """The whole file."""

    version: Text
    pain: PainZones
    before_you_start: Text
    before_sources: Sources
    steps: Annotated[tuple[PlanStep, ...], Field(min_length=1, max_length=30)]
    steps_sources: Sources
