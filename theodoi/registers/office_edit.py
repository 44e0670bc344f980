"""Writing the office's identity into ``settings.office`` of assignments.yaml.

``init`` and ``reorganise`` give a workspace the letterhead of its province
(:func:`theodoi.base.office.office_identity`); this module puts those lines into
the file with the line editor's manners (:mod:`theodoi.registers.assignments_edit`):
only the lines of the changed keys differ, comments and the rest stay, the
result is read back, and the file is written atomically under the data
folder's lock.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from theodoi.base import checks
from theodoi.base.problems import Location, TheodoiError
from theodoi.registers.assignments_edit import TextFile, _Edits
from theodoi.store.yamlio import block_scalar, compose, load_text


def office_lines(identity: Mapping[str, str], indent: int) -> list[str]:
    """The keys of ``identity`` as lines of YAML indented by ``indent`` spaces."""
    return [" " * indent + f"{key}: {block_scalar(value)}" for key, value in identity.items()]


def _mapping_at(root: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if not isinstance(root, yaml.MappingNode):
        return None
    return next(((k, v) for k, v in root.value
                 if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _last_line(node: yaml.Node) -> int:
    """The 0-based line of a block node's last character."""
    end = node.end_mark
    return end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line


def _cannot(name: str, line: int) -> TheodoiError:
    return TheodoiError(checks.CANNOT_EDIT_SAFELY, Location(name, line))


def edit_office_text(text: str, identity: Mapping[str, str], name: str) -> str:
    """``text`` with ``settings.office`` holding ``identity``'s keys: a key that
    is there gets the new value on its line, a missing key a line of its own,
    a missing ``office:`` (or ``settings:``) section is added."""
    lines = text.split("\n")
    root = compose(text, name)
    edits = _Edits()
    settings = _mapping_at(root, "settings") if root is not None else None
    if settings is None or (isinstance(settings[1], yaml.ScalarNode)
                            and settings[1].value in ("", "~", "null")):
        block = ["  office:", *office_lines(identity, 4)]
        if settings is None:
            edits.insert_after(-1, ["settings:", *block])
        else:
            edits.insert_after(settings[0].start_mark.line, block)
        return _checked(text, edits.apply(text), identity, name)
    key_node, node = settings
    if not isinstance(node, yaml.MappingNode) or node.flow_style or not node.value:
        raise _cannot(name, key_node.start_mark.line + 1)
    indent = node.value[0][0].start_mark.column
    office = _mapping_at(node, "office")
    if office is None:
        edits.insert_after(_last_line(node),
                           [" " * indent + "office:", *office_lines(identity, indent + 2)])
        return _checked(text, edits.apply(text), identity, name)
    office_key, office_node = office
    if isinstance(office_node, yaml.ScalarNode) and office_node.value in ("", "~", "null"):
        edits.insert_after(office_key.start_mark.line, office_lines(identity, indent + 2))
        return _checked(text, edits.apply(text), identity, name)
    if not isinstance(office_node, yaml.MappingNode) or office_node.flow_style:
        raise _cannot(name, office_key.start_mark.line + 1)
    inner = office_node.value[0][0].start_mark.column
    missing: list[str] = []
    for key, value in identity.items():
        found = _mapping_at(office_node, key)
        if found is None:
            missing.append(" " * inner + f"{key}: {block_scalar(value)}")
            continue
        old = found[1]
        if old.start_mark.line != old.end_mark.line or not isinstance(old, yaml.ScalarNode):
            raise _cannot(name, old.start_mark.line + 1)
        if old.start_mark.index == old.end_mark.index:  # "key:" with no value
            line = found[0].start_mark.line
            edits.replacements.append((line, len(lines[line]), len(lines[line]),
                                       " " + block_scalar(value)))
        else:
            edits.replacements.append((old.start_mark.line, old.start_mark.column,
                                       old.end_mark.column, block_scalar(value)))
    if missing:
        edits.insert_after(_last_line(office_node), missing)
    return _checked(text, edits.apply(text), identity, name)


def _checked(old_text: str, new_text: str, identity: Mapping[str, str], name: str) -> str:
    """Read the edited text back: the office says ``identity`` and the rest is as it was."""
    before, after = load_text(old_text, name), load_text(new_text, name)
    office = (after.get("settings") or {}).get("office") or {}
    same = {k: v for k, v in after.items() if k != "settings"} == \
        {k: v for k, v in (before or {}).items() if k != "settings"}
    others = {k: v for k, v in (after.get("settings") or {}).items() if k != "office"} == \
        {k: v for k, v in ((before or {}).get("settings") or {}).items() if k != "office"}
    if not same or not others or any(office.get(k) != v for k, v in identity.items()):
        raise TheodoiError(checks.EDIT_NOT_VERIFIED, Location(name))
    return new_text


def write_office_identity(data_dir: Path, identity: Mapping[str, str]) -> tuple[str, str]:
    """Write ``identity`` into the data folder's assignments.yaml, in the
    transaction of the command (reorganise's, whose new assignments it keeps);
    the file's text before and after."""
    from theodoi.registers.loader import ASSIGNMENTS_FILE
    from theodoi.store.textfile import display_path
    from theodoi.store.transaction import transaction

    path = data_dir / ASSIGNMENTS_FILE
    name = display_path(path)
    with transaction(data_dir) as tx:
        original = TextFile.staged(tx, path, name)
        new_text = edit_office_text(original.text, identity, name)
        if new_text != original.text:
            tx.write(path, original.encode(new_text))
    return original.text, new_text
