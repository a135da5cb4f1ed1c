"""Layout of the model diagram: main processes at the corners, borderline processes on
the edges between them. Pure: takes the framework's process list, returns shapes."""

import textwrap
from dataclasses import dataclass

WIDTH, HEIGHT = 720, 520
CORNERS = [(150, 95), (570, 95), (570, 425), (150, 425)]
EDGES = [(0, 1), (1, 2), (2, 3), (3, 0)]


@dataclass(frozen=True)
class Node:
    id: str
    name: str
    kind: str
    x: float
    y: float
    lines: tuple[tuple[str, float], ...]

    @property
    def left(self) -> float:
        return self.x - 130

    @property
    def top(self) -> float:
        return self.y - 60


LINE_HEIGHT = 24


def _lines(name: str, width: int, centre_y: float) -> tuple[tuple[str, float], ...]:
    """Wrapped lines of a name with the baseline of each, centred vertically on centre_y."""
    lines = textwrap.wrap(name, width=width) or [name]
    first = centre_y - (len(lines) - 1) * LINE_HEIGHT / 2 + 7
    return tuple((line, first + i * LINE_HEIGHT) for i, line in enumerate(lines))


def layout(processes: list[dict]) -> list[Node]:
    main = [p for p in processes if p["kind"] == "main"][:4]
    border = [p for p in processes if p["kind"] == "borderline"][:4]
    nodes = []
    corner_of = {}
    for index, process in enumerate(main):
        x, y = CORNERS[index]
        corner_of[process["id"]] = index
        nodes.append(Node(process["id"], process["name"], "main", x, y, _lines(process["name"], 20, y)))
    free_edges = list(EDGES)
    placed = []
    for process in border:
        between = process.get("between") or []
        edge = None
        if len(between) == 2 and all(b in corner_of for b in between):
            pair = tuple(sorted(corner_of[b] for b in between))
            edge = next((e for e in free_edges if tuple(sorted(e)) == pair), None)
        placed.append((process, edge))
        if edge:
            free_edges.remove(edge)
    for process, edge in placed:
        edge = edge or free_edges.pop(0)
        (x1, y1), (x2, y2) = CORNERS[edge[0]], CORNERS[edge[1]]
        x, y = (x1 + x2) / 2, (y1 + y2) / 2
        nodes.append(
            Node(process["id"], process["name"], "borderline", x, y, _lines(process["name"], 14, y))
        )
    return nodes
