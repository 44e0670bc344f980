"""Safe YAML in and out, with the line of every mapping and list item.

Loading composes the node tree with libyaml's C parser where present and
builds plain values from it ourselves, which gives three things the stock
loaders do not: line numbers for problems, duplicate keys reported instead
of silently dropped, and dates left as text so that an impossible date such
as 2024-02-31 becomes a problem with a line rather than a traceback.  Any
tag that would build a Python object is refused: safe loading only.

Every text is bounded before it is built (:func:`check_limits`): a file from
the working tree or a version from git history with more alias references,
more values added through aliases, or deeper nesting than a real file ever
needs is a problem with its line, never a crash or an exhausted memory.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from theodoi.base import checks
from theodoi.base.i18n import N_
from theodoi.base.problems import Location, Msg, TheodoiError
from theodoi.store.textfile import display_path, read_text

try:  # libyaml is about ten times faster; fall back to pure Python without it
    from yaml import CSafeDumper as SafeDumper
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper, SafeLoader  # type: ignore[assignment]

_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"  # kept as text, parsed by the caller
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
TEXT_TAGS = (_STR, _TIMESTAMP)
NULL_TAG = "tag:yaml.org,2002:null"

# Safe scalar constructors, called directly: going through construct_object
# would cache every node in the constructor for the life of the process.
_constructor = yaml.SafeLoader(stream="")
_SCALARS: dict[str, Callable[[yaml.ScalarNode], Any]] = {
    "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
    "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
    NULL_TAG: _constructor.construct_yaml_null,
}


class _Composer(SafeLoader):  # type: ignore[misc,valid-type]
    """libyaml's composer with a memo of implicit tags: day files repeat the
    same keys, dates, codes and kinds, and resolving each one again through
    the resolver's regular expressions is a good part of the cost."""

    _tags: dict[str, str] = {}  # short values only: keys, dates, codes, kinds

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass  # only path resolvers use these, and none are registered

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0] and len(value) <= 12:
            tag = self._tags.get(value)
            if tag is None:
                tag = self._tags[value] = super().resolve(kind, value, implicit)
            return tag
        return super().resolve(kind, value, implicit)


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
    root = compose(text, name)
    if root is None:
        raise TheodoiError(checks.FILE_EMPTY, Location(name, 1))
    return build(root, name)


# Limits far above what a real file needs: theodoi writes no alias and nests
# four levels deep (a list of mappings holding lists); a clerk may use a few
# anchors by hand.  Beyond them a file is an attack or an accident ("billion
# laughs" expands a few lines into billions of values; deep nesting exhausts
# the stack of every recursive reader).
MAX_ALIASES = 1000  # alias references (*name) in one file
MAX_ALIAS_VALUES = 100_000  # values added by expanding aliases, in all
MAX_DEPTH = 64  # lists and mappings inside one another


def compose(text: str, name: str) -> yaml.Node | None:
    """The node tree of a YAML text (None if it holds no document); a syntax
    error or a text beyond the limits is a TheodoiError with its line and
    column, in plain words."""
    try:
        check_limits(text, name)
        return yaml.compose(text, Loader=_Composer)
    except yaml.MarkedYAMLError as exc:
        said = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        # A missing colon is found on the line after the key that lacks it.
        prefer_context = "could not find expected ':'" in said and exc.context_mark
        mark = (exc.context_mark if prefer_context else exc.problem_mark) or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        reason = syntax_reason(said, _character_at(text, exc.problem_mark))
        # An unclosed quote makes the parser fail lines later, where the quoted
        # text finally ends: point at the line where the quote was opened.
        opened = _unclosed_quote(text, line)
        if opened is not None:
            line, column = opened
            reason = Msg(N_("a quotation mark is opened but never closed"))
        raise TheodoiError(checks.YAML_SYNTAX, Location(name, line, column),
                           reason=reason) from exc
    except yaml.YAMLError as exc:
        raise TheodoiError(checks.YAML_SYNTAX, Location(name), reason=str(exc)) from exc


# A text needs the event scan only if it may hold an alias (an anchor "&"
# first) or nest deeper than the limit: by flow brackets (an empty "[]", which
# theodoi writes, opens nothing inside), or in block style,
# where each level needs one more column of indentation or of "- " and "? ".
# Below a quarter of the limit each way, the two together stay below it.
_DEEP_BLOCK = re.compile(rf"^[ ?:-]{{{MAX_DEPTH // 4},}}", re.MULTILINE)
_START_EVENTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_END_EVENTS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def check_limits(text: str, name: str) -> None:
    """Raise a TheodoiError at the line where a text passes a limit: the
    parser's events are counted, with the size each anchor stands for, so
    that nothing is expanded to find out (libyaml's parser, not recursive)."""
    flows = text.count("[") + text.count("{") - text.count("[]") - text.count("{}")
    if "&" not in text and flows < MAX_DEPTH // 4 and _DEEP_BLOCK.search(text) is None:
        return
    sizes: dict[str, int] = {}  # anchor -> values it stands for
    open_: list[list[Any]] = [[None, 0]]  # [anchor, values so far] per open collection
    aliases = added = 0
    for event in yaml.parse(text, Loader=_Composer):
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            size = sizes.get(event.anchor or "", 1)
            added += size
            open_[-1][1] += size
            if aliases > MAX_ALIASES or added > MAX_ALIAS_VALUES:
                raise _limit(checks.YAML_ALIASES, event, name, aliases=MAX_ALIASES,
                             values=MAX_ALIAS_VALUES)
        elif isinstance(event, yaml.ScalarEvent):
            open_[-1][1] += 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, _START_EVENTS):
            open_.append([event.anchor, 1])
            if len(open_) > MAX_DEPTH + 1:
                raise _limit(checks.YAML_TOO_DEEP, event, name, limit=MAX_DEPTH)
        elif isinstance(event, _END_EVENTS):
            anchor, size = open_.pop()
            open_[-1][1] += size
            if anchor:
                sizes[anchor] = size


def _limit(check: checks.Check, event: yaml.Event, name: str, **params: Any) -> TheodoiError:
    mark = event.start_mark
    where = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
    return TheodoiError(check, where, **params)


_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?(?:[^\s'"#:][^:#]*:\s+)?(['"])""")


def _unclosed_quote(text: str, up_to: int) -> tuple[int, int] | None:
    """(line, column) of the first value that opens a quote and does not close
    it on its line, at or before line ``up_to`` (theodoi writes every quoted
    value on one line, so one spread over lines is a clerk's unclosed quote)."""
    for number, line in enumerate(text.split("\n")[:max(up_to, 1)], start=1):
        found = _QUOTED_VALUE.match(line)
        if found is None:
            continue
        quote, rest = found.group(1), line[found.end():]
        closed = (re.search(r"(?<!')'(?!')", rest.replace("''", "")) if quote == "'"
                  else re.search(r'(?<!\\)"', rest))
        if closed is None:
            return number, found.start(1) + 1
    return None


def _character_at(text: str, mark: Any) -> str:
    """The character a parser mark points at (libyaml's marks carry no buffer)."""
    if mark is None:
        return ""
    lines = text.split("\n")
    if mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def syntax_reason(said: str, character: str = "") -> Msg | str:
    """The mistakes a clerk makes, in plain words; anything else as libyaml says it."""
    if "tab character" in said or "'\\t'" in said or character == "\t":
        return Msg(N_("a tab character: YAML indents with spaces only (replace the tab with "
                      "spaces)"))
    if "could not find expected ':'" in said or "mapping values are not allowed" in said:
        return Msg(N_("a missing or misplaced colon (write 'key: value', with a space after "
                      "the colon)"))
    if "quoted scalar" in said:
        return Msg(N_("a quotation mark is opened but never closed"))
    if "expected '-' indicator" in said:
        return Msg(N_("the items of a list are not lined up (each '- ' must start in the "
                      "same column)"))
    return said


def scalar(node: yaml.ScalarNode, name: str) -> Any:
    """The value of a scalar node: text for text and dates (dates are parsed by
    the caller, so that 31/02 is a problem, not a traceback), else a number, a
    truth value or None; any other tag is refused."""
    tag = node.tag
    if tag in TEXT_TAGS:
        return node.value
    construct = _SCALARS.get(tag)
    if construct is None:
        raise refused(node, name)
    try:
        return construct(node)
    except (ValueError, yaml.YAMLError) as exc:
        raise TheodoiError(checks.YAML_BAD_VALUE, Location(name, node.start_mark.line + 1),
                           value=node.value) from exc


def build(node: yaml.Node, name: str, seen: dict[int, Any] | None = None) -> Any:
    """Plain values with lines from a node tree (Mapping, Sequence, scalars)."""
    seen = {} if seen is None else seen
    # Aliases reuse the node; building it once keeps "billion laughs" cheap.
    if id(node) in seen:
        return seen[id(node)]
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        return scalar(node, name)
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ:
            raise refused(node, name)
        items = Sequence()
        items.line = line
        items.item_lines = []
        seen[id(node)] = items
        for child in node.value:
            items.item_lines.append(child.start_mark.line + 1)
            items.append(build(child, name, seen))
        return items
    if isinstance(node, yaml.MappingNode):
        if node.tag != _MAP:
            raise refused(node, name)
        mapping = Mapping()
        mapping.line = line
        mapping.key_lines = {}
        seen[id(node)] = mapping
        for key_node, value_node in node.value:
            key = build(key_node, name, seen)
            key_line = key_node.start_mark.line + 1
            if not isinstance(key, str | int | bool) or key is None:
                raise TheodoiError(checks.YAML_KEY_NOT_TEXT, Location(name, key_line))
            key = str(key)
            if key in mapping:
                raise TheodoiError(checks.YAML_DUPLICATE_KEY, Location(name, key_line), key=key,
                                   first=mapping.key_lines[key])
            mapping.key_lines[key] = key_line
            mapping[key] = build(value_node, name, seen)
        return mapping
    raise refused(node, name)  # pragma: no cover - PyYAML has no other node kinds


def refused(node: yaml.Node, name: str) -> TheodoiError:
    mark = node.start_mark
    return TheodoiError(checks.YAML_TAG, Location(name, mark.line + 1, mark.column + 1),
                        tag=node.tag.replace("tag:yaml.org,2002:", "!!"))


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


def flow_scalar(value: str, *, quoted: bool = False) -> str:
    """A text as it goes inside a flow mapping (``{cadre: CB01, ...}``): plain
    when it reads back as the same text, else double-quoted (a code such as
    "02068" always, ``quoted``)."""
    import json

    if not quoted and value and re.fullmatch(r"[\w][\w./-]*", value):
        try:
            if yaml.safe_load(f"[{value}]") == [value]:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def block_scalar(value: str) -> str:
    """A text as the value of a block mapping's key (``place: Thái Nguyên``):
    plain when it reads back as itself, else double-quoted."""
    import json

    try:
        if value and ":" not in value and "#" not in value and yaml.safe_load(value) == value:
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)


def dump(data: Any) -> str:
    """Block-style YAML, Vietnamese written as is, keys in the given order."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)
