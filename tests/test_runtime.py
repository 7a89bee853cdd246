"""Process-wide tuning done once a bot is built (run in a fresh interpreter: it is global)."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import gc, json, weakref
from bot.app import load_engine
from bot.runtime import GC_YOUNG_THRESHOLD, settle_garbage_collector

engine = load_engine()
settle_garbage_collector()
frozen = gc.get_freeze_count()

class Node:
    pass

a, b = Node(), Node()
a.other, b.other = b, a  # a cycle made after start-up is still collected
alive = weakref.ref(a)
del a, b
gc.collect()
print(json.dumps({"frozen": frozen, "young": gc.get_threshold()[0],
                  "expected_young": GC_YOUNG_THRESHOLD, "cycle_collected": alive() is None}))
"""


def test_long_lived_objects_leave_the_collectors_sight() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True
    )
    figures = json.loads(done.stdout)
    assert figures["frozen"] > 20_000  # the knowledge, the machine, the libraries
    assert figures["young"] == figures["expected_young"]
    assert figures["cycle_collected"]
