"""The README stays true: its two commands come first and its diagram matches the YAML."""

from __future__ import annotations

import re
from pathlib import Path

from bot.diagram import mermaid
from tests.support.engine import real_engine

README = (Path(__file__).parent.parent / "README.md").read_text()


def test_first_lines_give_the_two_commands():
    head = "\n".join(README.splitlines()[:6])
    assert "make console" in head and "make test" in head


def test_readme_diagram_is_current():
    block = re.search(
        r"<!-- diagram:start -->\n```mermaid\n(.*?)```\n<!-- diagram:end -->", README, re.S
    )
    assert block, "README lacks the diagram block"
    assert block.group(1) == mermaid(real_engine().dialogue), "run: hipbot diagram"


def test_ci_runs_the_readme_test_command():
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text()
    assert "make test" in ci
