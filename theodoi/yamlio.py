"""Safe YAML in and out, with the line of every mapping and list item.

Loading composes the node tree with libyaml's C parser where present and
builds plain values from it ourselves, which gives three things the stock
loaders do not: line numbers for problems, duplicate keys reported instead
of silently dropped, and dates left as text so that an impossible date such
as 2024-02-31 becomes a problem with a line rather than a traceback.  Any
tag that would build a Python object is refused: safe loading only.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from theodoi.i18n import N_
from theodoi.problems import Location, TheodoiError
from theodoi.textfile import display_path, read_text

try:  # libyaml is about ten times faster; fall back to pure Python without it
    from yaml import CSafeDumper as SafeDumper
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper, SafeLoader  # type: ignore[assignment]

_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",  # kept as text, parsed by the caller
}
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_constructor = yaml.SafeLoader(stream="")  # only its scalar constructors are used


class Mapping(dict[str, Any]):
    """A YAML mapping that remembers its line and each key's line (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class Sequence(list[Any]):
    """A YAML sequence that remembers its line and each item's line."""

    line: int = 0
    item_lines: list[int]


def load_path(path: Path) -> Any:
    """Load one YAML file; raise TheodoiError (with line and column) if broken."""
    name = display_path(path)
    return load_text(read_text(path), name)


def load_text(text: str, name: str) -> Any:
    try:
        root = yaml.compose(text, Loader=SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        reason = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise TheodoiError(N_("YAML syntax error: {reason}"), Location(name, line, column),
                           reason=reason) from exc
    except yaml.YAMLError as exc:
        raise TheodoiError(N_("YAML syntax error: {reason}"), Location(name),
                           reason=str(exc)) from exc
    if root is None:
        raise TheodoiError(N_("the file is empty"), Location(name, 1))
    return _build(root, name, {})


def _build(node: yaml.Node, name: str, seen: dict[int, Any]) -> Any:
    # Aliases reuse the node; building it once keeps "billion laughs" cheap.
    if id(node) in seen:
        return seen[id(node)]
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        if node.tag not in _SCALAR_TAGS:
            raise _refused(node, name)
        if node.tag in (_STR, "tag:yaml.org,2002:timestamp"):
            return node.value
        try:
            return _constructor.construct_object(node)
        except (ValueError, yaml.YAMLError) as exc:
            raise TheodoiError(N_("unreadable value {value!r}"), Location(name, line),
                               value=node.value) from exc
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ:
            raise _refused(node, name)
        items = Sequence()
        items.line = line
        items.item_lines = []
        seen[id(node)] = items
        for child in node.value:
            items.item_lines.append(child.start_mark.line + 1)
            items.append(_build(child, name, seen))
        return items
    if isinstance(node, yaml.MappingNode):
        if node.tag != _MAP:
            raise _refused(node, name)
        mapping = Mapping()
        mapping.line = line
        mapping.key_lines = {}
        seen[id(node)] = mapping
        for key_node, value_node in node.value:
            key = _build(key_node, name, seen)
            key_line = key_node.start_mark.line + 1
            if not isinstance(key, str | int | bool) or key is None:
                raise TheodoiError(N_("a key must be plain text"), Location(name, key_line))
            key = str(key)
            if key in mapping:
                raise TheodoiError(N_("duplicate key {key!r} (first on line {first})"),
                                   Location(name, key_line), key=key,
                                   first=mapping.key_lines[key])
            mapping.key_lines[key] = key_line
            mapping[key] = _build(value_node, name, seen)
        return mapping
    raise _refused(node, name)  # pragma: no cover - PyYAML has no other node kinds


def _refused(node: yaml.Node, name: str) -> TheodoiError:
    mark = node.start_mark
    return TheodoiError(
        N_("YAML tag {tag} is not allowed here (files are loaded safely: plain text, "
           "numbers, lists and mappings only)"),
        Location(name, mark.line + 1, mark.column + 1),
        tag=node.tag.replace("tag:yaml.org,2002:", "!!"),
    )


@contextmanager
def bulk_loading() -> Iterator[None]:
    """Pause the cycle collector while many files are loaded.

    Loading makes millions of short-lived YAML nodes while the records pile up;
    none form reference cycles, so reference counting frees them, but the cycle
    collector would walk the growing heap again and again (a third of the time
    on 100,000 visits)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def line_of(value: Any, default: int = 0) -> int:
    return getattr(value, "line", default) or default


class Quoted(str):
    """Text always written in double quotes: codes such as "02068", which other
    YAML readers would take for a number."""


class _Dumper(SafeDumper):  # type: ignore[misc,valid-type]
    pass


_Dumper.add_representer(
    Quoted, lambda dumper, value: dumper.represent_scalar(_STR, str(value), style='"'))


def dump(data: Any) -> str:
    """Block-style YAML, Vietnamese written as is, keys in the given order."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)
