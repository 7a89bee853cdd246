"""Assemble the engine from the data folders; the one place that loads knowledge and dialogue."""

from __future__ import annotations

from pathlib import Path

from bot import paths
from bot.dialogue import CONDITION_NAMES, Engine, load_dialogue
from bot.knowledge import Knowledge, load_knowledge
from bot.problems import DataError, Problem
from bot.understanding.learned import load_learned

DIALOGUE_FILE = "consultation.yaml"


def resolve_data_dirs(directory: Path | None) -> tuple[Path, Path | None]:
    """``(knowledge_dir, dialogues_dir)`` for a project root, a knowledge folder, or the default.

    A folder holding ``knowledge/`` is a project root (its ``dialogues/`` is checked too); any
    other folder is taken as a knowledge folder on its own.
    """
    if directory is None:
        return paths.knowledge_dir(), paths.dialogues_dir()
    if (directory / "knowledge").is_dir():
        dialogues = directory / "dialogues"
        return directory / "knowledge", dialogues if dialogues.is_dir() else None
    return directory, None


def load_engine(directory: Path | None = None) -> Engine:
    """Load, check and assemble everything the bot needs.

    Raises:
        DataError: any problem in the knowledge or the dialogue, named by file and path.
    """
    knowledge_dir, dialogues_dir = resolve_data_dirs(directory)
    knowledge = load_knowledge(knowledge_dir)
    dialogue_dir = dialogues_dir or paths.dialogues_dir()
    dialogue_path = dialogue_dir / DIALOGUE_FILE
    if not dialogue_path.is_file():
        raise DataError(
            [Problem(f"dialogues/{DIALOGUE_FILE}", "(file)", f"is missing from {dialogue_dir}")]
        )
    return Engine(knowledge, load_dialogue(dialogue_path, knowledge, CONDITION_NAMES))


def validate(directory: Path | None = None) -> list[Problem]:
    """Every problem in the data folders (an empty list when all is well)."""
    knowledge_dir, dialogues_dir = resolve_data_dirs(directory)
    try:
        knowledge: Knowledge = load_knowledge(knowledge_dir)
    except DataError as error:
        return list(error.problems)
    problems: list[Problem] = []
    try:
        load_learned(knowledge_dir, known=frozenset(knowledge.findings))
    except DataError as error:
        problems += error.problems
    if dialogues_dir is None:
        return problems
    for path in sorted(dialogues_dir.glob("*.yaml")):
        try:
            load_dialogue(path, knowledge, CONDITION_NAMES)
        except DataError as error:
            problems += error.problems
    return problems
