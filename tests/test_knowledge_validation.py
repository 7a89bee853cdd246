"""Knowledge files are validated: every problem names the file, the path inside it and what is
wrong — for the CLI and for the bot, never as a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot import paths
from bot.app import load_engine, validate
from bot.knowledge import CONTRACT_CAUSES, CONTRACT_FINDINGS, Urgency, load_knowledge
from bot.problems import DataError


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A writable copy of the real knowledge/ and dialogues/."""
    shutil.copytree(paths.knowledge_dir(), tmp_path / "knowledge")
    shutil.copytree(paths.dialogues_dir(), tmp_path / "dialogues")
    return tmp_path


def edit(project: Path, name: str, change) -> None:
    path = project / "knowledge" / name
    document = yaml.safe_load(path.read_text())
    change(document)
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))


def problems_of(project: Path) -> list[str]:
    return [str(p) for p in validate(project)]


def test_real_knowledge_is_valid_and_holds_the_contract_ids():
    assert validate(None) == []
    knowledge = load_knowledge(paths.knowledge_dir())
    assert set(CONTRACT_FINDINGS) <= set(knowledge.findings)
    assert set(CONTRACT_CAUSES) == set(knowledge.causes)
    assert list(knowledge.urgency_levels) == list(Urgency)


def test_every_medical_statement_has_an_http_source():
    knowledge = load_knowledge(paths.knowledge_dir())
    statements = [c.summary for c in knowledge.causes.values()]
    statements += [s for c in knowledge.causes.values() for s in c.self_care]
    statements += [p for t in knowledge.topics.values() for p in t.points]
    statements += list(knowledge.exercise_rules)
    sourced = [*statements, *knowledge.red_flags, *knowledge.exercises.values()]
    sourced += [c.see_professional for c in knowledge.causes.values()]
    sourced += [e for c in knowledge.causes.values() for e in c.supported_by.values()]
    sourced += [e for c in knowledge.causes.values() for e in c.argued_against_by.values()]
    sourced += list(knowledge.urgency_levels.values())
    assert len(sourced) > 50
    for item in sourced:
        assert item.sources, item
        assert all(url.startswith(("http://", "https://")) for url in item.sources)


def test_bad_yaml_syntax_names_file_line_and_column(project):
    path = project / "knowledge" / "causes.yaml"
    path.write_text(path.read_text() + "\n  - id: [unclosed\n")
    [problem] = problems_of(project)
    assert problem.startswith("causes.yaml: line ")
    assert "column" in problem and "invalid YAML" in problem


def test_a_key_given_twice_names_file_line_and_key(project):
    path = project / "knowledge" / "language.yaml"
    path.write_text(
        path.read_text().replace("spellings: {", "spellings: {frnt: front, frnt: front, ", 1)
    )
    [problem] = problems_of(project)
    assert problem.startswith("language.yaml: line ")
    assert "'frnt' is given twice" in problem


def test_wrong_type_names_the_path(project):
    def change(doc):
        doc["causes"][0]["prior"] = "very high"

    edit(project, "causes.yaml", change)
    cause_id = yaml.safe_load((project / "knowledge/causes.yaml").read_text())["causes"][0]["id"]
    [problem] = problems_of(project)
    assert problem.startswith(f"causes.yaml: causes[{cause_id}].prior: ")
    assert "number" in problem


def test_missing_field_is_reported(project):
    def change(doc):
        del doc["exercises"][1]["stop_if"]

    edit(project, "exercises.yaml", change)
    exercise_id = yaml.safe_load((project / "knowledge/exercises.yaml").read_text())["exercises"][
        1
    ]["id"]
    assert problems_of(project) == [
        f"exercises.yaml: exercises[{exercise_id}].stop_if: missing required field"
    ]


def test_misspelt_field_is_reported(project):
    def change(doc):
        doc["red_flags" if "red_flags" in doc else "rules"][0]["sorces"] = ["https://x.org"]

    edit(project, "red_flags.yaml", change)
    [problem] = problems_of(project)
    assert ".sorces: unknown field (check the spelling)" in problem


def test_unknown_id_across_files(project):
    def change(doc):
        doc["causes"][2]["supported_by"]["pain_in_the_elbow"] = {
            "weight": 1,
            "why": "A made-up finding.",
            "sources": ["https://example.org"],
        }

    edit(project, "causes.yaml", change)
    problems = problems_of(project)
    assert any(
        p.startswith("causes.yaml: causes[")
        and p.endswith(".supported_by: unknown finding 'pain_in_the_elbow'")
        for p in problems
    ), problems


def test_every_weight_and_prior_carries_its_source_and_why():
    knowledge = load_knowledge(paths.knowledge_dir())
    for cause in knowledge.causes.values():
        assert cause.prior_sources and cause.prior_why, cause.id
        for evidence in [*cause.supported_by.values(), *cause.argued_against_by.values()]:
            assert evidence.weight > 0 and evidence.sources and evidence.why, cause.id


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda e: e.pop("sources"), ".sources: missing required field"),
        (lambda e: e.pop("why"), ".why: missing required field"),
        (lambda e: e.update(weight=0), ".weight: "),
        (lambda e: e.update(wieght=1), ".wieght: unknown field (check the spelling)"),
    ],
)
def test_weight_without_its_evidence_is_refused(project, change, expected):
    cause = yaml.safe_load((project / "knowledge/causes.yaml").read_text())["causes"][0]
    finding = next(iter(cause["supported_by"]))
    edit(project, "causes.yaml", lambda doc: change(doc["causes"][0]["supported_by"][finding]))
    [problem] = problems_of(project)
    assert problem.startswith(f"causes.yaml: causes[{cause['id']}].supported_by.{finding}"), (
        problem
    )
    assert problem.endswith(expected) or expected in problem, problem


def test_bare_number_weight_is_refused(project):
    cause = yaml.safe_load((project / "knowledge/causes.yaml").read_text())["causes"][1]
    finding = next(iter(cause["argued_against_by"]))
    edit(
        project,
        "causes.yaml",
        lambda doc: doc["causes"][1]["argued_against_by"].update({finding: 1}),
    )
    [problem] = problems_of(project)
    assert problem.startswith(
        f"causes.yaml: causes[{cause['id']}].argued_against_by.{finding}: "
    ), problem


def test_prior_without_source_is_refused(project):
    cause = yaml.safe_load((project / "knowledge/causes.yaml").read_text())["causes"][0]
    edit(project, "causes.yaml", lambda doc: doc["causes"][0].pop("prior_sources"))
    assert problems_of(project) == [
        f"causes.yaml: causes[{cause['id']}].prior_sources: missing required field"
    ]


def test_missing_source_is_refused(project):
    def change(doc):
        doc["causes"][0]["summary"]["sources"] = []

    edit(project, "causes.yaml", change)
    [problem] = problems_of(project)
    assert ".summary.sources: " in problem


def test_duplicate_and_unused_ids(project):
    def change(doc):
        doc["findings"].append(dict(doc["findings"][0], phrases=["zzz unique phrase"]))
        doc["findings"].append(
            {
                "id": "elbow_pain",
                "label": "elbow pain",
                "absent_label": "no elbow pain",
                "question": "Elbow?",
                "phrases": ["elbow"],
            }
        )

    edit(project, "findings.yaml", change)
    problems = problems_of(project)
    first = yaml.safe_load((project / "knowledge/findings.yaml").read_text())["findings"][0]["id"]
    assert f"findings.yaml: findings[{first}]: duplicate id '{first}' (2 times)" in problems
    assert (
        "findings.yaml: findings[elbow_pain]: finding is never used by a cause, rule or exercise"
        in problems
    )


def test_several_files_broken_reports_every_problem(project):
    (project / "knowledge" / "advice.yaml").write_text("")
    (project / "knowledge" / "red_flags.yaml").unlink()
    problems = problems_of(project)
    assert "advice.yaml: (top): must be a mapping with a version, but is empty" in problems
    assert any(p.startswith("red_flags.yaml: (file): is missing") for p in problems)


def test_alias_bomb_is_refused_quickly(project):
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 30):
        lines.append(f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 10)}]")
    (project / "knowledge" / "advice.yaml").write_text("\n".join(lines))
    [problem] = problems_of(project)
    assert problem.startswith("advice.yaml: (file): uses ") and "aliases" in problem


def test_engine_refuses_to_start_on_invalid_knowledge(project):
    (project / "knowledge" / "findings.yaml").write_text("version: 1\nfindings: nope\n")
    with pytest.raises(DataError) as caught:
        load_engine(project)
    assert "findings.yaml: findings: " in str(caught.value)


@pytest.mark.parametrize(
    "command", [["validate", "{dir}"], ["--data", "{dir}", "console", "--json"]]
)
def test_cli_prints_problems_without_a_traceback(project, command):
    (project / "knowledge" / "causes.yaml").write_text("version: [\n")
    args = [part.format(dir=project) for part in command]
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    output = done.stdout + done.stderr
    assert "causes.yaml: line 2, column 1: invalid YAML" in output
    assert "Traceback" not in output


def test_cli_validate_ok_on_real_data():
    done = subprocess.run(
        [sys.executable, "-m", "bot", "validate"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("OK: knowledge ")
