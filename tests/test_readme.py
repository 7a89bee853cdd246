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


CONFIG = (Path(__file__).parent.parent / "bot" / "config.py").read_text()
READ = re.compile(
    r'(?:values\.get\(|_number\(values, )"([A-Z_]+)"(?:, (?:"([^"]*)"|str\(([A-Z_]+)\)))?'
)


def settings_table() -> dict[str, str]:
    """The README's configuration table: variable → its default column."""
    section = README.split("### Configuration reference", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([A-Z_]+)` \| ([^|]*) \|", section, re.MULTILINE)
    return {name: default.strip() for name, default in rows}


def test_the_settings_table_lists_every_setting_the_bot_reads_with_its_default():
    from bot import config

    read = {match.group(1): match for match in READ.finditer(CONFIG)}
    table = settings_table()
    assert set(table) == set(read), set(table) ^ set(read)
    for name, match in read.items():
        literal, constant = match.group(2), match.group(3)
        default = str(getattr(config, constant)) if constant else literal
        if default is not None:
            assert table[name].startswith(f"`{default}`"), (name, default, table[name])
