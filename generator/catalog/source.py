"""Read a YAML or JSON catalogue file keeping where each value was written.

Errors found after decoding (a bad type, an unknown input in a formula) are reported with
the file, line and column of the value, which a plain ``yaml.safe_load`` would have lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from generator.errors import UnreadableInput
from generator.user_file import read_user_bytes

Path_ = tuple[str | int, ...]
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 64
"""Deepest nesting of lists and mappings a catalogue may use; real ones use about six."""


class Position(NamedTuple):
    """Where a value was written (1-based); a tuple, as there is one per value of the file."""

    line: int
    column: int


@dataclass(frozen=True)
class SourceDocument:
    path: Path
    data: Any
    positions: dict[Path_, Position]
    duplicates: list[tuple[Path_, Position]]

    def where(self, path: Path_) -> str:
        """``file:line:col`` of the value at ``path``, or of its nearest written parent."""
        for end in range(len(path), -1, -1):
            position = self.positions.get(path[:end])
            if position is not None:
                return f"{self.path}:{position.line}:{position.column}"
        return str(self.path)

    def scalar_column(self, path: Path_) -> tuple[int, int] | None:
        """Line and column of a scalar's first character (after an opening quote)."""
        position = self.positions.get(path)
        return None if position is None else (position.line, position.column)


class SourceError(Exception):
    """A catalogue file that cannot be parsed; ``unreadable`` when it could not even be read."""

    def __init__(self, message: str, *, unreadable: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.unreadable = unreadable


def read_source(path: Path, what: str = "catalogue") -> SourceDocument:
    """Parse ``path``; raise SourceError with ``file:line:col`` for unreadable or invalid YAML."""
    try:
        raw = read_user_bytes(path, what)
    except UnreadableInput as exc:
        raise SourceError(exc.message, unreadable=True) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[raw.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8")) + 1  # valid up to there
        raise SourceError(
            f"{path}:{line}:{column}: not UTF-8 text (byte {exc.start}); save the file as UTF-8"
        ) from None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, RecursionError) as exc:
        _check_depth(text, path)  # the parsers' own depth limits vary by release and loader
        raise _syntax_error(exc, path) from None
    if node is None:
        raise SourceError(f"{path}:1:1: the file is empty")
    positions: dict[Path_, Position] = {}
    duplicates: list[tuple[Path_, Position]] = []
    loader = _Loader("")  # one constructor for every scalar of the file
    try:
        data = _build(node, (), positions, duplicates, path, set(), loader)
    except RecursionError:
        raise SourceError(f"{path}:1:1: values are nested too deeply") from None
    finally:
        loader.dispose()
    return SourceDocument(path, data, positions, duplicates)


def _syntax_error(exc: BaseException, path: Path) -> SourceError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        return SourceError(f"{where}: YAML syntax error: {problem}")
    if isinstance(exc, RecursionError):
        return SourceError(f"{path}:1:1: values are nested too deeply")
    return SourceError(f"{path}: YAML error: {' '.join(str(exc).split())}")


def _check_depth(text: str, path: Path) -> None:
    """Refuse deep nesting with the project's own limit and message, wherever the parser gave up.

    PyYAML's limits differ between releases and between its C and Python loaders; the pure
    Python event stream keeps an explicit stack, so it reaches any depth, and it only runs
    after the fast loader has already failed.
    """
    depth = 0
    events = yaml.parse(text, Loader=yaml.SafeLoader)  # lazily: stops at the first level too deep
    while True:
        try:
            event = next(events)
        except (StopIteration, yaml.YAMLError, RecursionError):
            return
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
                raise SourceError(f"{where}: values are nested too deeply (more than {MAX_DEPTH} levels)")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _build(
    node: yaml.Node,
    at: Path_,
    positions: dict[Path_, Position],
    duplicates: list[tuple[Path_, Position]],
    path: Path,
    seen: set[int],
    loader: yaml.SafeLoader,
) -> Any:
    positions[at] = Position(node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.CollectionNode):
        if id(node) in seen:  # an alias: refusing it also refuses "billion laughs" expansion
            raise SourceError(
                f"{path}:{node.start_mark.line + 1}:{node.start_mark.column + 1}: "
                "YAML aliases (*name) are not supported; write the value out"
            )
        seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise SourceError(f"{path}:{key_node.start_mark.line + 1}: YAML merge keys (<<) are not supported")
            key = _scalar(key_node, path, loader)
            if not isinstance(key, str | int | float | bool) or key is None:
                raise SourceError(f"{path}:{key_node.start_mark.line + 1}: mapping keys must be plain text")
            key = str(key) if not isinstance(key, str) else key
            child = (*at, key)
            key_position = Position(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in result:
                duplicates.append((child, key_position))
            result[key] = _build(value_node, child, positions, duplicates, path, seen, loader)
            if not isinstance(value_node, yaml.ScalarNode):
                # A block mapping or list starts on the line after its key: point at the key.
                positions[child] = key_position
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*at, i), positions, duplicates, path, seen, loader) for i, item in enumerate(node.value)]
    value = _scalar(node, path, loader)
    if isinstance(node, yaml.ScalarNode) and node.style in ("'", '"'):
        positions[at] = Position(node.start_mark.line + 1, node.start_mark.column + 2)
    return value


def _scalar(node: yaml.Node, path: Path, loader: yaml.SafeLoader) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise SourceError(f"{path}:{node.start_mark.line + 1}: expected a plain value here")
    if node.tag == "tag:yaml.org,2002:str":
        return node.value  # what construct_scalar returns for a scalar node
    try:
        return loader.construct_object(node)
    except yaml.YAMLError as exc:
        raise SourceError(f"{path}:{node.start_mark.line + 1}: {' '.join(str(exc).split())}") from None


def split_msgspec(message: str) -> tuple[str, Path_]:
    """msgspec says ``Expected `int`, got `str` - at `$.kpis[3].number` ``: split text and path."""
    text, _, where = message.rpartition(" - at `")
    if not text:
        return message, ()
    path: list[str | int] = []
    for token in re.findall(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+|\.\.\.)\]", where.rstrip("`")):
        name, index = token
        if name:
            path.append(name)
        elif index == "...":
            break
        else:
            path.append(int(index))
    unknown = re.match(r"Object contains unknown field `([^`]*)`", text)
    if unknown:
        path.append(unknown.group(1))  # point at the misspelt key, not at the mapping holding it
    text = text.replace("Object contains unknown field", "unknown key")
    return text, tuple(path)


def dotted(at: Path_) -> str:
    text = ""
    for part in at:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "catalogue"
