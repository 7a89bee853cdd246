"""Corrupted and hostile data files: always clear ``file: path: message`` problems, fast.

Every case runs on a writable copy of knowledge/ and dialogues/ through ``bot.app.validate`` (and,
when the data passes, ``load_engine`` and a short consultation: valid data must never crash the
bot). Each call is bounded in time on a daemon thread, so a hang fails the test instead of
stalling it, and nothing in a file may ever be executed.
"""

from __future__ import annotations

import copy
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import paths
from bot.app import load_engine, validate
from bot.dialogue import Engine, Incoming
from bot.problems import MAX_ALIASES, MAX_DEPTH, MAX_FILE_BYTES, Problem, read_yaml
from tests.support.engine import PATHS
from tests.support.fuzz import fuzz_settings

T = TypeVar("T")
LIMIT_SECONDS = 2.0
FUZZ = fuzz_settings(HealthCheck.function_scoped_fixture)
FILES = [
    "knowledge/findings.yaml", "knowledge/causes.yaml", "knowledge/exercises.yaml",
    "knowledge/red_flags.yaml", "knowledge/advice.yaml", "dialogues/consultation.yaml",
]  # fmt: skip
ORIGINAL = {
    name: (paths.knowledge_dir() if name.startswith("knowledge/") else paths.dialogues_dir())
    .joinpath(name.split("/")[1])
    .read_bytes()
    for name in FILES
}
PARSED = {name: yaml.safe_load(raw) for name, raw in ORIGINAL.items()}
TRIED: Counter[str] = Counter()


# -- helpers -------------------------------------------------------------------------------------


def bounded(call: Callable[[], T], limit: float = LIMIT_SECONDS) -> T:
    """``call()`` on a daemon thread: fails if it raises, or takes ``limit`` seconds or more."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as error:  # re-raised below, on the test's thread
            outcome["error"] = error

    worker = threading.Thread(target=run, daemon=True)
    started = time.perf_counter()
    worker.start()
    worker.join(limit)
    elapsed = time.perf_counter() - started
    assert not worker.is_alive(), f"still running after {limit} s (a hang)"
    if "error" in outcome:
        raise outcome["error"]
    assert elapsed < limit, f"took {elapsed:.2f} s"
    return outcome["value"]  # type: ignore[no-any-return]


def check_problems(problems: list[Problem]) -> None:
    """Each problem is one clear line: ``file: path: message``."""
    for problem in problems:
        assert isinstance(problem, Problem)
        assert re.fullmatch(r"(dialogues/)?[a-z_]+\.yaml", problem.file), problem
        assert problem.path.strip() and problem.message.strip(), problem
        text = str(problem)
        assert "\n" not in text and "Traceback" not in text, text
        assert len(text) < 1000, text[:200]


def write(project: Path, name: str, content: bytes | str) -> None:
    path = project / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)


def dump(document: Any) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def validated(project: Path) -> list[Problem]:
    """``validate(project)``, bounded in time, with well-formed problems; when the data passes,
    the bot must also start and hold a short consultation on it."""
    TRIED["files"] += 1
    problems = bounded(lambda: validate(project))
    check_problems(problems)
    if not problems:
        smoke(bounded(lambda: load_engine(project)))
    return problems


def smoke(engine: Engine) -> None:
    """A consultation over every state kind and the commands: no exception, always a reply."""
    TRIED["consultations"] += 1
    turn = engine.start(at=1_000.0)
    lines = [*PATHS["change_answer"], "yes", "Looks right, show result"]
    lines += ["/why", "/summary", "/exercises", "/learn", "/back", "/help", "/forget"]
    for line in lines:
        options = {o.label: o.value for o in turn.options}
        incoming = (
            Incoming(button=options[line], at=turn.session.updated_at + 1)
            if line in options
            else Incoming(text=line, at=turn.session.updated_at + 1)
        )
        turn = engine.step(turn.session, incoming)
        assert turn.replies and all(r.text.strip() for r in turn.replies)
    for option in engine.step(turn.session, Incoming(text="/learn", at=2_000.0)).options:
        assert engine.step(turn.session, Incoming(button=option.value, at=2_000.0)).replies


@pytest.fixture(scope="module")
def shared_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One writable copy for the hypothesis tests; each example restores what it changed."""
    root = tmp_path_factory.mktemp("fuzz-data")
    shutil.copytree(paths.knowledge_dir(), root / "knowledge")
    shutil.copytree(paths.dialogues_dir(), root / "dialogues")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(paths.knowledge_dir(), tmp_path / "knowledge")
    shutil.copytree(paths.dialogues_dir(), tmp_path / "dialogues")
    return tmp_path


@pytest.fixture
def cached_unchanged_files(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Parse the five files an example did not touch once, not on every example (pure-Python
    YAML is slow); the changed file still goes through the real ``read_yaml``."""
    cache: dict[tuple[str, bytes], tuple[Any, list[Problem]]] = {}

    def read(path: Path, *, shown_as: str) -> tuple[Any, list[Problem]]:
        raw = path.read_bytes()
        if raw != ORIGINAL.get(shown_as if "/" in shown_as else f"knowledge/{shown_as}"):
            return read_yaml(path, shown_as=shown_as)
        if (shown_as, raw) not in cache:
            cache[shown_as, raw] = read_yaml(path, shown_as=shown_as)
        document, problems = cache[shown_as, raw]
        return copy.deepcopy(document), list(problems)

    monkeypatch.setattr("bot.knowledge.loader.read_yaml", read)
    monkeypatch.setattr("bot.dialogue.spec.read_yaml", read)
    yield


@pytest.fixture(scope="module", autouse=True)
def never_executes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A file that any executed tag would create; it must never appear."""
    marker = tmp_path_factory.mktemp("marker") / "executed"
    yield marker
    assert not marker.exists(), "a YAML tag was executed"


# -- hostile files -------------------------------------------------------------------------------


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ['version: "1"', f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]")
    return "\n".join(lines) + f"\nfindings: *l{levels}\ncauses: [*l{levels}]\nrules: *l{levels}\n"


def python_tags(marker: Path) -> list[str]:
    touch = f"['touch {marker}']"
    return [
        f"!!python/object/apply:os.system {touch}",
        f"version: !!python/object/apply:os.system {touch}",
        f"version: !!python/object/apply:subprocess.call [[touch, '{marker}']]",
        f"version: !!python/object/new:os.system {touch}",
        f"version: !!python/object/apply:builtins.exec [\"open('{marker}', 'w')\"]",
        "version: !!python/name:os.system",
        "version: !!python/module:os",
        f"version: !<tag:yaml.org,2002:python/object/apply:os.system> {touch}",
        f"%TAG !p! tag:yaml.org,2002:python/\n---\nversion: !p!object/apply:os.system {touch}",
        f"version: !!python/object:os.system {{cmd: 'touch {marker}'}}",
        "version: !!binary aGlwYm90\nfindings: !!set {a, b}\ncauses: !!omap [{a: 1}]",
        "version: '1'\nfindings: !custom/tag {a: 1}",
    ]


HEAVY = {
    "x: [" + "a," * (MAX_FILE_BYTES // 2 - 10) + "]": "(file): holds more than",
    "x:\n" + "- a\n" * (MAX_FILE_BYTES // 4 - 10): "(file): holds more than",
    "version: '" + "x" * 900_000 + "'": "line 1, column 10: has a value longer than",
}
"""Slow to parse even when refused early: tried on one file only."""


def hostile_files(marker: Path) -> dict[str, bytes | str]:
    junk = random.Random(6).randbytes(4096)
    return {
        "billion laughs": billion_laughs(),
        "too many aliases": "a: &a x\nb: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]",
        "10,000 nested lists": "[" * 10_000 + "]" * 10_000,
        "10,000 nested lists, unclosed": "version: " + "[" * 10_000,
        "10,000 nested mappings": "{a: " * 10_000 + "1" + "}" * 10_000,
        "deep block nesting": "".join("  " * i + "- \n" for i in range(MAX_DEPTH + 5)),
        "deep nesting under a real key": "version: '1'\nfindings: " + "[" * 500 + "]" * 500,
        "over 1 MB": "version: '1'\n" + "# padding\n" * (MAX_FILE_BYTES // 10 + 1),
        "aliases to a big value": "a: &a '" + "x" * 9_000 + "'\nb: [" + ", ".join(["*a"] * 200) + "]",
        "binary junk": junk,
        "invalid UTF-8": b"version: '1'\nfindings: \xff\xfe\xc3\x28 caf\xe9\n",
        "UTF-16": "version: '1'\n".encode("utf-16"),
        "encoded surrogate": b"version: '\xed\xa0\x80'\n",
        "NUL and control bytes": "version: '1'\x00\x01\x1b\n",
        "empty": "",
        "only a comment": "# nothing here\n",
        "two documents": "version: '1'\n---\nversion: '2'\n",
        "a bare scalar": "hello",
        "a list at the top": "- version: '1'\n",
        "unhashable key": "? [a, b]\n: 1\n",
        "unclosed quote": "version: 'abc\nfindings: []\n",
        "tab indentation": "version: '1'\nfindings:\n\t- id: x\n",
        "duplicate top keys": "version: '1'\nversion: '2'\n",
        "merge key chain": "a: &a {k: 1}\n" + "".join(f"b{i}: &b{i} {{<<: *a, k{i}: 1}}\n" for i in range(150)),
        "date and number types": "version: 2026-11-01\nfindings: 1e309\ncauses: .nan\nrules: 0x1F\n",
        **{f"python tag {i}": tag for i, tag in enumerate(python_tags(marker))},
    }  # fmt: skip


@pytest.mark.parametrize("name", FILES)
def test_hostile_files_give_clear_problems(
    project: Path, cached_unchanged_files: None, never_executes: Path, name: str
) -> None:
    cases = hostile_files(never_executes)
    for label, content in cases.items():
        write(project, name, content)
        problems = validated(project)
        assert problems, f"{label} in {name} passed validation"
        assert all(p.file == name.removeprefix("knowledge/") for p in problems), (label, problems)
    TRIED["hostile cases"] += len(cases)


def test_files_near_the_size_limit_are_refused_in_time(
    project: Path, cached_unchanged_files: None
) -> None:
    for content, expected in HEAVY.items():
        write(project, "knowledge/causes.yaml", content)
        [problem] = [str(p) for p in validated(project)]
        assert problem.startswith(f"causes.yaml: {expected}"), problem


def test_limits_are_reported_where_they_are_crossed(
    project: Path, cached_unchanged_files: None
) -> None:
    cases: dict[str | bytes, str] = {
        "[" * 10_000 + "]" * 10_000: "causes.yaml: line 1, column 33: nests lists or mappings "
        f"more than {MAX_DEPTH} levels deep",
        billion_laughs(6, 40): f"causes.yaml: (file): uses more than {MAX_ALIASES} YAML aliases",
        "version: '" + "x" * 20_000 + "'": "causes.yaml: line 1, column 10: has a value longer",
        "x: [" + "a," * 30_000 + "]": "causes.yaml: (file): holds more than",
        "\0": "causes.yaml: (file): invalid YAML: unacceptable character #x0000",
        b"\xff": "causes.yaml: (file): is not UTF-8 text",
        "a" * (MAX_FILE_BYTES + 1): f"causes.yaml: (file): is larger than {MAX_FILE_BYTES} bytes",
        "version: !!python/object/apply:os.system ['true']": "causes.yaml: line 1, column 10: "
        "invalid YAML: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'",
    }
    for content, expected in cases.items():
        write(project, "knowledge/causes.yaml", content)
        [problem] = [str(p) for p in validated(project)]
        assert problem.startswith(expected), problem


def test_python_tags_are_never_executed(project: Path, never_executes: Path) -> None:
    """Also straight through ``read_yaml``: a python tag is an error, never a constructor."""
    path = project / "knowledge" / "advice.yaml"
    for tag in python_tags(never_executes):
        path.write_text(tag)
        _, problems = bounded(lambda: read_yaml(path, shown_as="advice.yaml"))
        if "python" in tag:
            [problem] = problems
            assert "could not determine a constructor" in problem.message, problem
        assert not never_executes.exists(), tag


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Not {sure}", "texts.not_sure: unknown placeholder {sure} (this text can use: none)"),
        ("Not sure {0}", "texts.not_sure: unknown placeholder {0}"),
        ("Not sure {}", "texts.not_sure: unknown placeholder {}"),
        ("{question.__class__}", "texts.not_sure: unknown placeholder {question.__class__}"),
        ("Not sure }", "texts.not_sure: has a lone { or }"),
        ("Not sure {", "texts.not_sure: has a lone { or }"),
    ],
)
def test_dialogue_texts_with_bad_placeholders_are_refused(
    project: Path, cached_unchanged_files: None, text: str, expected: str
) -> None:
    """Without this check such a text passed validation and crashed the bot when shown."""
    document = copy.deepcopy(PARSED["dialogues/consultation.yaml"])
    document["texts"]["not_sure"] = text
    write(project, "dialogues/consultation.yaml", dump(document))
    [problem] = [str(p) for p in validated(project)]
    assert problem.startswith(f"dialogues/consultation.yaml: {expected}"), problem


def test_placeholders_are_checked_per_text(project: Path, cached_unchanged_files: None) -> None:
    document = copy.deepcopy(PARSED["dialogues/consultation.yaml"])
    document["texts"]["location"] += " {question} {hint} {{literal}}"  # a prompt: allowed
    document["texts"]["why_location"] += " {question}"  # a /why text gets no values
    document["texts"]["version_line"] += " {names}"  # only {version} here
    document["texts"]["result_ready"] += " {answers}"  # also shown with no values
    write(project, "dialogues/consultation.yaml", dump(document))
    problems = [str(p) for p in validated(project)]
    assert [p.split(": ")[1] for p in problems] == [
        "texts.result_ready", "texts.version_line", "texts.why_location",
    ]  # fmt: skip


def test_cli_validate_on_hostile_files(project: Path, never_executes: Path) -> None:
    """``python -m bot validate DIR``: exit 1, every broken file named, no traceback."""
    write(project, "knowledge/causes.yaml", "[" * 10_000 + "]" * 10_000)
    write(project, "knowledge/findings.yaml", python_tags(never_executes)[0])
    write(project, "knowledge/advice.yaml", billion_laughs())
    write(project, "knowledge/exercises.yaml", random.Random(1).randbytes(2048))
    write(project, "knowledge/red_flags.yaml", ORIGINAL["knowledge/red_flags.yaml"][:777])
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bot", "validate", str(project)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    TRIED["cli runs"] += 1
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "Traceback" not in output
    for name in ("causes", "findings", "advice", "exercises", "red_flags"):
        assert re.search(rf"^{name}\.yaml: \S.*: .+$", done.stdout, re.MULTILINE), (name, output)
    assert time.perf_counter() - started < 30


# -- hypothesis: random damage to the real files -------------------------------------------------


def node_paths(node: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path to a node of a parsed document (the root is ``()``)."""
    yield at
    children = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, child in children:
        yield from node_paths(child, (*at, key))


PATHS_IN = {name: list(node_paths(document)) for name, document in PARSED.items()}

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(),
    st.dates(),
    st.text(max_size=30),
    st.sampled_from(
        ["", " ", "{", "}", "{0}", "{question.__class__}", "pain_front", "fever", "emergency",
         "urgent", "self_care", "result", "greeting", "questions", "http://x.org", "-1", "NaN",
         "yes", "null", "~", "!!python/object/apply:os.system", "*a", "&a b", "Id With Spaces"]
    ),
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=8,
)  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, Any]:
    """A real file, parsed, with one to three random nodes replaced, deleted or added."""
    name = draw(st.sampled_from(FILES))
    document = copy.deepcopy(PARSED[name])
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS_IN[name]))
        if not path:
            document = draw(values)
            continue
        parent: Any = document
        try:
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this path
        action = draw(st.sampled_from(["replace", "replace", "delete", "add", "duplicate"]))
        key = path[-1]
        if action == "replace":
            parent[key] = draw(values)
        elif action == "delete":
            del parent[key]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=12))] = draw(values)
        elif action == "add":
            parent.insert(key, draw(values))
        elif isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        else:
            parent[key] = [parent[key], copy.deepcopy(parent[key])]
    return name, document


@settings(FUZZ, max_examples=100)
@given(case=mutated())
def test_random_wrong_types_and_missing_keys(
    shared_project: Path, cached_unchanged_files: None, case: tuple[str, Any]
) -> None:
    name, document = case
    try:
        write(shared_project, name, dump(document))
        validated(shared_project)
    finally:
        write(shared_project, name, ORIGINAL[name])


@settings(FUZZ, max_examples=60)
@given(name=st.sampled_from(FILES), cut=st.floats(0, 1, exclude_max=True))
def test_files_truncated_at_any_byte(
    shared_project: Path, cached_unchanged_files: None, name: str, cut: float
) -> None:
    raw = ORIGINAL[name]
    try:
        write(shared_project, name, raw[: int(len(raw) * cut)])
        validated(shared_project)
    finally:
        write(shared_project, name, ORIGINAL[name])


@settings(FUZZ, max_examples=40)
@given(name=st.sampled_from(FILES), junk=st.binary(max_size=3000), keep=st.integers(0, 3000))
def test_binary_junk_spliced_into_a_file(
    shared_project: Path, cached_unchanged_files: None, name: str, junk: bytes, keep: int
) -> None:
    raw = ORIGINAL[name]
    try:
        write(shared_project, name, raw[:keep] + junk + raw[keep:])
        validated(shared_project)  # junk inside a text can leave a valid file: then it runs
    finally:
        write(shared_project, name, ORIGINAL[name])


def test_report_files_tried(capsys: pytest.CaptureFixture[str]) -> None:
    """Print how many damaged data sets were validated (run last; for BENCHMARKS.md)."""
    with capsys.disabled():
        print(
            f"\nknowledge fuzzing: {TRIED['files']} damaged data sets validated "
            f"({TRIED['hostile cases']} hostile files, {TRIED['consultations']} that still "
            f"passed ran a consultation, {TRIED['cli runs']} CLI run)"
        )
    assert TRIED["files"] > 0
