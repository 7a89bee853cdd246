"""Exercise pictures: a stick figure in its start and end position, drawn once and kept on disk.

Each exercise's ``picture`` in ``knowledge/exercises.yaml`` describes the two positions; the
PNG is drawn with matplotlib on first use (or ahead of time with ``hipbot pictures``) and named
after a digest of that description, so an edited pose is drawn again.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from bot.knowledge import Exercise
from bot.knowledge.model import Picture, Point, Pose

if TYPE_CHECKING:
    from matplotlib.axes import Axes

logger = logging.getLogger(__name__)

DRAWING_VERSION = "1"
"""Part of every picture's digest: change it when the drawing code changes."""
FIGURE_INCHES = 8.0
TITLE_INCHES = 0.55
STACK_BELOW_ASPECT = 0.7
"""A figure this much wider than high is drawn twice, one above the other."""
DPI = 100
MOVED_DEGREES = 10
MOVED_STRETCH = 0.2
NEAR, FAR, MOVED, GROUND, BAND = "#1d4f7a", "#a9c4dc", "#e8772e", "#8c8c8c", "#c0392b"
MAT = "#e6e6e6"
HEAD_RADIUS = 0.42
NEAR_LIMBS = (
    ("hip", "knee"),
    ("knee", "foot"),
    ("foot", "toe"),
    ("neck", "elbow"),
    ("elbow", "hand"),
)
FAR_LIMBS = (
    ("hip", "knee2"), ("knee2", "foot2"), ("foot2", "toe2"), ("neck", "elbow2"),
    ("elbow2", "hand2"),
)  # fmt: skip
ROLLER_RADIUS = 0.45


def pictures_dir() -> Path:
    """Where pictures are kept: ``$XDG_CACHE_HOME/hipbot/pictures`` (``~/.cache`` by default)."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "hipbot" / "pictures"


class Pictures:
    """The exercises' pictures as PNG files in ``folder``."""

    def __init__(self, exercises: Mapping[str, Exercise], folder: Path | None = None) -> None:
        self.exercises = exercises
        self.folder = folder or pictures_dir()

    def path(self, exercise_id: str) -> Path | None:
        """The picture of an exercise, drawn if it is not on disk yet; ``None`` for an unknown
        exercise or a picture that cannot be saved (the reason is logged)."""
        exercise = self.exercises.get(exercise_id)
        if exercise is None:
            return None
        described = DRAWING_VERSION + exercise.picture.model_dump_json()
        digest = hashlib.sha256(described.encode()).hexdigest()[:12]
        path = self.folder / f"{exercise_id}-{digest}.png"
        if path.is_file():
            return path
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            draw(exercise.picture, partial)
            partial.replace(path)
        except (
            OSError,
            ValueError,
            RuntimeError,
        ) as error:  # a picture is never worth a failed turn
            logger.warning("picture %s not saved: %s", exercise_id, error)
            return None
        return path

    def draw_all(self) -> list[Path]:
        """Every exercise's picture (drawn where missing)."""
        return [p for p in map(self.path, self.exercises) if p is not None]


def draw(picture: Picture, path: Path) -> None:
    """Draw the start and end position into a PNG file: side by side, or one above the other
    for a figure lying down (so that it is drawn large enough on a phone)."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    poses = (picture.start, picture.end_pose())
    left, right, top = _bounds(picture, poses)
    bottom = -0.3 if picture.floor else min(y for p in poses for _, y in _points(p)) - 0.6
    aspect = (top - bottom) / (right - left)
    stacked = aspect < STACK_BELOW_ASPECT
    panel = FIGURE_INCHES if stacked else FIGURE_INCHES / 2
    rows, columns = (2, 1) if stacked else (1, 2)
    title = TITLE_INCHES
    figure = Figure(figsize=(FIGURE_INCHES, rows * (panel * aspect + title)), dpi=DPI)
    figure.subplots_adjust(
        left=0.01,
        right=0.99,
        bottom=0.01,
        top=1 - title / (panel * aspect + title) / rows,
        hspace=title / (panel * aspect),
        wspace=0.04,
    )
    titles = ("1  Start", f"2  {picture.end_label}")
    for index, axes in enumerate(figure.subplots(rows, columns).flat):
        pose, ending = poses[index], index == 1
        moved = _moved(poses[0], pose) if ending else set()
        axes.set_title(titles[index], loc="left", fontsize=20, fontweight="bold", color="#333333")
        if picture.floor:
            axes.plot([left, right], [-0.05, -0.05], color=GROUND, linewidth=3)
        else:  # seen from above: lying on a mat
            axes.add_patch(Rectangle((left + 0.3, bottom + 0.2), right - left - 0.6,
                                     top - bottom - 0.4, color=MAT, zorder=0))  # fmt: skip
        _props(axes, picture, poses[0])
        for limbs, colour, width_pt in ((FAR_LIMBS, FAR, 9), (NEAR_LIMBS, NEAR, 11)):
            for a, b in limbs:
                start, end = getattr(pose, a), getattr(pose, b)
                if start is None or end is None:
                    continue
                shade = MOVED if (a, b) in moved else colour
                axes.plot(
                    [start[0], end[0]], [start[1], end[1]], color=shade, linewidth=width_pt,
                    solid_capstyle="round",
                )  # fmt: skip
        trunk = MOVED if ("hip", "neck") in moved else NEAR
        axes.plot(*zip(pose.hip, pose.neck, strict=True), color=trunk, linewidth=13,
                  solid_capstyle="round")  # fmt: skip
        _head(axes, pose, trunk)
        if picture.band is not None:
            a, b = (getattr(pose, joint) for joint in picture.band)
            axes.plot(*zip(a, b, strict=True), color=BAND, linewidth=6, solid_capstyle="round")
        if ending:
            for arrow in picture.arrows:
                _arrow(axes, getattr(pose, arrow.at), arrow.towards)
        axes.set_xlim(left, right)
        axes.set_ylim(bottom, top)
        axes.set_aspect("equal")
        axes.axis("off")
    figure.savefig(path, format="png", facecolor="white")


def _points(pose: Pose) -> list[Point]:
    return [p for p in pose.model_dump().values() if p is not None]


def _bounds(picture: Picture, poses: tuple[Pose, Pose]) -> tuple[float, float, float]:
    points = [p for pose in poses for p in _points(pose)]
    xs = [x for x, _ in points]
    if picture.wall is not None:
        xs.append(picture.wall)
    top = max(y for _, y in points) + HEAD_RADIUS + 0.35
    return min(xs) - HEAD_RADIUS - 0.35, max(xs) + HEAD_RADIUS + 0.35, top


def _moved(start: Pose, end: Pose) -> set[tuple[str, str]]:
    """The segments that turn or stretch from the start to the end (moving alone is not enough:
    a figure sliding along a foam roller keeps its shape)."""
    moved = set()
    for a, b in (*NEAR_LIMBS, *FAR_LIMBS, ("hip", "neck")):
        before, after = _vector(start, a, b), _vector(end, a, b)
        if before is None or after is None:
            continue
        turned = abs(
            math.remainder(math.atan2(*after[::-1]) - math.atan2(*before[::-1]), math.tau)
        )
        stretched = abs(math.hypot(*after) - math.hypot(*before)) / (math.hypot(*before) or 1)
        if math.degrees(turned) > MOVED_DEGREES or stretched > MOVED_STRETCH:
            moved.add((a, b))
    return moved


def _vector(pose: Pose, a: str, b: str) -> Point | None:
    start, end = getattr(pose, a), getattr(pose, b)
    if start is None or end is None:
        return None
    return (end[0] - start[0], end[1] - start[1])


def _head(axes: Axes, pose: Pose, colour: str) -> None:
    from matplotlib.patches import Circle

    hx, hy = pose.head
    nx, ny = pose.neck
    length = math.hypot(hx - nx, hy - ny) or 1.0
    centre = (nx + (hx - nx) * (length + 0.05) / length, ny + (hy - ny) * (length + 0.05) / length)
    axes.add_patch(Circle(centre, HEAD_RADIUS, color=colour, zorder=3))


def _arrow(axes: Axes, at: Point, degrees: float) -> None:
    dx, dy = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    start = (at[0] + 0.25 * dx, at[1] + 0.25 * dy)
    end = (at[0] + 1.0 * dx, at[1] + 1.0 * dy)
    axes.annotate(
        "", xy=end, xytext=start,
        arrowprops={"arrowstyle": "-|>,head_width=0.5,head_length=0.8", "color": MOVED,
                    "linewidth": 4},
    )  # fmt: skip


def _props(axes: Axes, picture: Picture, start: Pose) -> None:
    from matplotlib.patches import Circle, Rectangle

    if picture.step:
        x, y = start.foot
        axes.add_patch(Rectangle((x - 0.9, -0.05), 1.8, y - 0.05, color="#d9d9d9", zorder=0))
    if picture.roller:
        x = start.hip[0] + 0.25 * (start.knee[0] - start.hip[0])
        axes.add_patch(Circle((x, ROLLER_RADIUS - 0.05), ROLLER_RADIUS, color="#7fb77e", zorder=0))
    if picture.wall is not None:
        axes.plot([picture.wall, picture.wall], [-0.05, 6.0], color=GROUND, linewidth=6)
