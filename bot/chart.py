"""The ``/progress`` chart: pain during each run and the next morning, over the pain zones.

Drawn with matplotlib's Agg canvas into PNG bytes (no pyplot and no global state, so charts may
be drawn in worker threads), sized for a phone screen (Telegram shows a photo about 360–400
points wide).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.knowledge import Knowledge

ZONES = (("chart_safe", "#c8ecc9"), ("chart_acceptable", "#ffe7a8"), ("chart_too_much", "#f7c4c0"))
"""Each pain zone's name (a dialogue text) and colour."""
DURING_COLOUR, MORNING_COLOUR = "#1f4e99", "#b3541e"


def progress_chart(
    runs: Sequence[Sequence[int]], knowledge: Knowledge, texts: Mapping[str, str]
) -> bytes:
    """A PNG of ``runs`` (``[during, morning, step]`` each, oldest first), labelled with the
    dialogue's ``texts``."""
    zones = knowledge.running.pain
    figure = Figure(figsize=(4.8, 4.4), dpi=200)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    bounds = (-0.5, zones.safe_max + 0.5, zones.acceptable_max + 0.5, 10.5)
    for (label, colour), low, high in zip(ZONES, bounds, bounds[1:], strict=False):
        axes.axhspan(low, high, color=colour, zorder=0)
        span = f"{round(low + 0.5)}–{round(high - 0.5)}"
        where = axes.get_yaxis_transform()
        axes.text(1.02, (low + high) / 2, f"{texts[label].strip()}\n{span}", transform=where,
                  ha="left", va="center", fontsize=11, color="#333333")  # fmt: skip
    numbers = list(range(1, len(runs) + 1))
    during, morning = texts["chart_during"].strip(), texts["chart_morning"].strip()
    axes.plot(numbers, [r[0] for r in runs], marker="o", linewidth=2.2, markersize=6,
              color=DURING_COLOUR, label=during)  # fmt: skip
    axes.plot(numbers, [r[1] for r in runs], marker="s", linewidth=2.2, markersize=5,
              linestyle="--", color=MORNING_COLOUR, label=morning)  # fmt: skip
    axes.set_ylim(-0.5, 10.5)
    axes.set_xlim(0.5, max(len(runs), 2) + 0.5)
    axes.set_yticks(range(0, 11, 2))
    axes.set_xticks(numbers if len(runs) <= 12 else numbers[:: max(1, len(runs) // 8)])
    axes.set_xlabel(texts["chart_x"].strip(), fontsize=12)
    axes.set_ylabel(texts["chart_y"].strip(), fontsize=12)
    axes.set_title(texts["chart_title"].strip(), fontsize=13)
    axes.tick_params(labelsize=11)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=11,
                frameon=False)  # fmt: skip
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
