"""Load ``knowledge/*.yaml``: check each file's shape, then the references between files."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bot.knowledge.catalog import Knowledge
from bot.knowledge.model import (
    AdviceFile,
    CausesFile,
    ExercisesFile,
    FindingsFile,
    LanguageFile,
    RedFlagsFile,
    Urgency,
)
from bot.knowledge.running import RunningPlan
from bot.problems import DataError, Problem, read_yaml, validate_document

FILES: dict[str, type[BaseModel]] = {
    "findings.yaml": FindingsFile,
    "causes.yaml": CausesFile,
    "exercises.yaml": ExercisesFile,
    "red_flags.yaml": RedFlagsFile,
    "advice.yaml": AdviceFile,
    "language.yaml": LanguageFile,
    "return_to_running.yaml": RunningPlan,
}

LEARNED_FILE = "learned_reading.json"  # the learned second reading (bot.understanding.learned)

CONTRACT_FINDINGS = (
    "pain_front", "pain_side", "pain_buttock", "stiffness", "worse_with_activity",
    "numbness_tingling", "swelling", "worse_lying_on_side", "tender_to_touch",
    "clicking_catching", "morning_stiffness", "pain_at_rest_or_night", "pain_down_leg",
    "pain_sitting", "recent_training_increase", "cannot_bear_weight", "fever", "fall_or_injury",
    "saddle_numbness_or_bladder", "limp",
)  # fmt: skip
CONTRACT_CAUSES = (
    "overuse_muscle_imbalance", "weak_core_poor_form", "hip_flexor_strain", "it_band_syndrome",
    "gluteal_tendinopathy_bursitis", "hip_osteoarthritis", "labral_tear_impingement",
    "stress_fracture", "sciatic_nerve_piriformis",
)  # fmt: skip


def load_knowledge(directory: Path) -> Knowledge:
    """Load and check every knowledge file in ``directory``.

    Raises:
        DataError: with every problem found, each naming the file and the path inside it.
    """
    problems: list[Problem] = []
    parsed: dict[str, Any] = {}
    raw_text = hashlib.sha256()
    for name, model in FILES.items():
        path = directory / name
        if not path.is_file():
            problems.append(Problem(name, "(file)", f"is missing from {directory}"))
            continue
        raw_text.update(path.read_bytes())
        document, found = read_yaml(path, shown_as=name)
        problems += found
        if not found:
            validated, found = validate_document(model, document, shown_as=name)
            problems += found
            parsed[name] = validated
    if problems:
        raise DataError(problems)
    learned = directory / LEARNED_FILE
    if learned.is_file():  # checked by the understanding that reads it; here only versioned
        raw_text.update(learned.read_bytes())
    return _cross_check(parsed, digest=raw_text.hexdigest()[:8])


def load_language(directory: Path) -> LanguageFile:
    """Load and check ``language.yaml`` alone: the rules for reading free text.

    Raises:
        DataError: with every problem found in the file.
    """
    name = "language.yaml"
    document, problems = read_yaml(directory / name, shown_as=name)
    if problems:
        raise DataError(problems)
    language, problems = validate_document(LanguageFile, document, shown_as=name)
    if language is None:
        raise DataError(problems)
    return language


def _language_ids(language: LanguageFile) -> list[tuple[str, str]]:
    ids = [(f"cues[{i}].{field}", finding)
           for i, group in enumerate(language.cues)
           for field in ("only_for", "not_for")
           for finding in getattr(group, field)]  # fmt: skip
    ids += [("subjects", finding) for finding in language.subjects]
    ids += [("activity.not_with", finding) for finding in language.activity.not_with]
    ids += [("activity.shares_with", finding) for finding in language.activity.shares_with]
    ids += [("activity.struck_also", finding) for finding in language.activity.struck_also]
    ids += [("activity.unpained_with", finding) for finding in language.activity.unpained_with]
    ids += [("duration.onset_with", finding) for finding in language.duration.onset_with]
    ids += [("duration.other_symptoms", f) for f in language.duration.other_symptoms]
    ids += [("duration.told_of", f) for f in language.duration.told_of]
    ids += [("transparent", finding) for finding in language.transparent]
    ids += [("parts", finding) for finding in language.parts]
    ids += [("events.findings", finding) for finding in language.events.findings]
    ids += [("mere_situation.findings", f) for f in language.mere_situation.findings]
    ids += [("abilities.findings", finding) for finding in language.abilities.findings]
    ids += [("abilities.yes_denies", finding) for finding in language.abilities.yes_denies]
    ids += [("ellipsis.not_pain", finding) for finding in language.ellipsis.not_pain]
    ids += [("opposites", finding) for pair in language.opposites for finding in pair]
    ids += [("pain_subjects", finding) for finding in language.pain_subjects]
    ids += [("told_by_yes", finding) for finding in language.told_by_yes]
    ids += [("locations.findings", finding) for finding in language.locations.findings]
    ids += [(f"{frame}.finding", getattr(language, frame).finding)
            for frame in ("activity", "training", "duration")]  # fmt: skip
    ids += [(f"pairs[{i}].finding", pair.finding) for i, pair in enumerate(language.pairs)]
    if language.earlier is not None:
        ids += [("earlier.finding", language.earlier.finding)]
    if language.scores is not None:
        ids += [(f"scores.{key}", getattr(language.scores, key))
                for key in ("improving", "worsening", "activity")]  # fmt: skip
        ids += [("scores.still", finding) for finding in language.scores.still]
    if language.temperature is not None:
        ids += [("temperature.finding", language.temperature.finding)]
    for i, rule in enumerate(language.implications):
        ids += [(f"implications[{i}].when", rule.when), (f"implications[{i}].then", rule.then)]
    return ids


def _duplicates(file: str, section: str, ids: Iterable[str]) -> list[Problem]:
    counts = Counter(ids)
    return [
        Problem(file, f"{section}[{item}]", f"duplicate id '{item}' ({n} times)")
        for item, n in counts.items()
        if n > 1
    ]


def _unknown(
    file: str, path: str, kind: str, wanted: Iterable[str], known: Iterable[str]
) -> list[Problem]:
    known_set = set(known)
    return [
        Problem(file, path, f"unknown {kind} '{item}'") for item in wanted if item not in known_set
    ]


def _cross_check(parsed: dict[str, Any], *, digest: str) -> Knowledge:
    findings_file: FindingsFile = parsed["findings.yaml"]
    causes_file: CausesFile = parsed["causes.yaml"]
    exercises_file: ExercisesFile = parsed["exercises.yaml"]
    flags_file: RedFlagsFile = parsed["red_flags.yaml"]
    advice_file: AdviceFile = parsed["advice.yaml"]

    findings = {f.id: f for f in findings_file.findings}
    causes = {c.id: c for c in causes_file.causes}
    exercises = {e.id: e for e in exercises_file.exercises}
    topics = {t.id: t for t in advice_file.topics}

    problems = _duplicates("findings.yaml", "findings", (f.id for f in findings_file.findings))
    problems += _duplicates("causes.yaml", "causes", (c.id for c in causes_file.causes))
    problems += _duplicates(
        "exercises.yaml", "exercises", (e.id for e in exercises_file.exercises)
    )
    problems += _duplicates("red_flags.yaml", "rules", (r.id for r in flags_file.rules))
    problems += _duplicates("advice.yaml", "topics", (t.id for t in advice_file.topics))

    problems += [
        Problem("findings.yaml", "findings", f"required finding '{fid}' is missing")
        for fid in CONTRACT_FINDINGS
        if fid not in findings
    ]
    problems += [
        Problem("causes.yaml", "causes", f"required cause '{cid}' is missing")
        for cid in CONTRACT_CAUSES
        if cid not in causes
    ]

    phrase_owner: dict[str, str] = {}
    for finding in findings_file.findings:
        for field in ("phrases", "absent_phrases"):
            for i, phrase in enumerate(getattr(finding, field)):
                key = " ".join(phrase.lower().split())
                owner = phrase_owner.setdefault(key, finding.id)
                if owner != finding.id:
                    path = f"findings[{finding.id}].{field}[{i}]"
                    message = f"phrase '{phrase}' also belongs to finding '{owner}'"
                    problems.append(Problem("findings.yaml", path, message))

    used_findings: set[str] = set()
    used_exercises: set[str] = set()
    for cause in causes_file.causes:
        at = f"causes[{cause.id}]"
        for field in ("supported_by", "argued_against_by"):
            ids = getattr(cause, field)
            problems += _unknown("causes.yaml", f"{at}.{field}", "finding", ids, findings)
            used_findings.update(ids)
        for both in set(cause.supported_by) & set(cause.argued_against_by):
            problems.append(
                Problem("causes.yaml", f"{at}.argued_against_by",
                        f"finding '{both}' both supports and argues against this cause")
            )  # fmt: skip
        problems += _unknown(
            "causes.yaml", f"{at}.exercises", "exercise", cause.exercises, exercises
        )
        avoided = [a.exercise for a in cause.avoid_exercises]
        problems += _unknown(
            "causes.yaml", f"{at}.avoid_exercises", "exercise", avoided, exercises
        )
        for clash in set(cause.exercises) & set(avoided):
            problems.append(
                Problem(
                    "causes.yaml", f"{at}.exercises", f"exercise '{clash}' is also to be avoided"
                )
            )
        problems += _unknown("causes.yaml", f"{at}.advice", "advice topic", cause.advice, topics)
        if cause.fracture_possible and cause.exercises:
            problems.append(
                Problem("causes.yaml", f"{at}.exercises",
                        "a cause where a fracture is possible must not offer exercises")
            )  # fmt: skip
        used_exercises.update(cause.exercises)

    for exercise in exercises_file.exercises:
        for i, rule in enumerate(exercise.avoid_when):
            path = f"exercises[{exercise.id}].avoid_when[{i}].any_of"
            problems += _unknown("exercises.yaml", path, "finding", rule.any_of, findings)
            used_findings.update(rule.any_of)
        if exercise.id not in used_exercises:
            problems.append(
                Problem(
                    "exercises.yaml", f"exercises[{exercise.id}]", "no cause offers this exercise"
                )
            )

    for flag in flags_file.rules:
        at = f"rules[{flag.id}]"
        if not flag.all_of and not flag.any_of:
            problems.append(Problem("red_flags.yaml", at, "needs all_of or any_of (or both)"))
        for field in ("all_of", "any_of", "none_of"):
            ids = getattr(flag, field)
            problems += _unknown("red_flags.yaml", f"{at}.{field}", "finding", ids, findings)
            used_findings.update(ids)
        problems += _unknown("red_flags.yaml", f"{at}.suspects", "cause", flag.suspects, causes)
        if flag.urgency.rank >= Urgency.URGENT.rank and not flag.no_exercises:
            problems.append(
                Problem(
                    "red_flags.yaml",
                    f"{at}.no_exercises",
                    "must be true for urgent or emergency rules",
                )
            )

    problems += [
        Problem(
            "findings.yaml",
            f"findings[{fid}]",
            "finding is never used by a cause, rule or exercise",
        )
        for fid in findings
        if fid not in used_findings
    ]

    language_file: LanguageFile = parsed["language.yaml"]
    problems += [
        Problem("language.yaml", path, f"unknown finding '{finding}'")
        for path, finding in _language_ids(language_file)
        if finding not in findings
    ]

    levels = [level.id for level in advice_file.urgency_levels]
    if levels != list(Urgency):
        expected = ", ".join(u.value for u in Urgency)
        problems.append(
            Problem("advice.yaml", "urgency_levels", f"must be exactly, in order: {expected}")
        )

    if problems:
        raise DataError(problems)
    versions = sorted({getattr(parsed[name], "version") for name in FILES})  # noqa: B009
    return Knowledge(
        version=f"{'/'.join(versions)}+{digest}",
        findings=findings,
        idioms=findings_file.idioms,
        causes=causes,
        exercises=exercises,
        exercise_rules=exercises_file.general_rules,
        red_flags=flags_file.rules,
        urgency_levels={level.id: level for level in advice_file.urgency_levels},
        topics=topics,
        running=parsed["return_to_running.yaml"],
    )
