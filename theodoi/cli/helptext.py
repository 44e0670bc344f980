"""Help pages and usage lines in the language of the run, every word of them.

Typer renders help with English words of its own ("Usage", "Options",
"[default: …]", "Show this message and exit.") and type labels such as
``<bool>`` that make a switch look as if it took a value.  A clerk reading
Vietnamese should meet none of them, so theodoi draws its own help page from
the command tree: the same panels, its own words, and a metavar only where
an option takes a value.  :func:`localise` prepares a built command tree for
one run (help texts translated, this renderer installed).
"""

from __future__ import annotations

import inspect
import io
from typing import Any

from theodoi.base.i18n import N_, _
from theodoi.cli.typer_internals import TyperCommand, TyperGroup, annotation_name, choices_of

HELP_OPTION_HELP = N_("Show this message and exit.")
USAGE_PREFIX = N_("Usage:")
OPTIONS_WORD = N_("[OPTIONS]")
COMMAND_WORDS = N_("COMMAND [ARGS]...")
# Longer choice lists go into the help column, where they can wrap.
_MAX_CHOICES_AS_METAVAR = 24
_GENERIC_METAVARS = {"int": N_("NUMBER"), "float": N_("NUMBER"), "str": N_("TEXT"),
                     "Path": N_("FILE")}


def localise(command: Any) -> None:
    """Install theodoi's help renderer on every command of the tree, translate
    the help texts (English msgids) into the run's language, and give the
    options their short forms (theodoi.cli.conventions)."""
    from theodoi.cli.conventions import add_short_options

    add_short_options(command)
    _translate(command)


def _translate(command: Any) -> None:
    if isinstance(command, TyperGroup):
        command.__class__ = _LocalisedGroup
    elif isinstance(command, TyperCommand):
        command.__class__ = _LocalisedCommand
    if command.help:
        command.help = _(command.help)
    for param in command.params:
        if getattr(param, "help", None):
            param.help = _(param.help)
    for sub in getattr(command, "commands", {}).values():
        _translate(sub)


# --- what the page says ---------------------------------------------------------------


def metavar_of(param: Any) -> str:
    """What an option's value is called ("NGÀY", "XÃ", "table|csv"); nothing for a switch."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return ""
    if param.metavar:
        return _(param.metavar)
    choices = choices_of(param)
    if choices and len("|".join(choices)) <= _MAX_CHOICES_AS_METAVAR:
        return "|".join(choices)
    if choices:
        return _(N_("CHOICE"))
    return _(_GENERIC_METAVARS.get(annotation_name(param), N_("VALUE")))


def _default_of(param: Any) -> str | None:
    """The default worth showing, as the user would type it."""
    if not param.show_default or getattr(param, "is_flag", False) or param.required:
        return None
    if isinstance(param.show_default, str):
        return param.show_default
    default = param.default
    if default is None or default == "" or default == () or default == []:
        return None
    return str(getattr(default, "value", default))


def help_cell(param: Any) -> list[tuple[str, str]]:
    """The help column of one option: (text, style) parts."""
    text = _(HELP_OPTION_HELP) if param.name == "help" else (param.help or "")
    parts = [(text, "")]
    choices = choices_of(param)
    if choices and metavar_of(param) != "|".join(choices):
        parts.append((" [" + "|".join(choices) + "]", "dim"))
    default = _default_of(param)
    if default is not None:
        parts.append((" " + _("[default: {value}]").format(value=default), "dim"))
    if param.required:
        parts.append((" " + _("[required]"), "dim red"))
    return parts


def usage_line(command: Any, ctx: Any) -> str:
    """``Cách dùng: theodoi visit add [TÙY CHỌN]``: the words a usage line is made of."""
    pieces = [_(OPTIONS_WORD)]
    for param in command.params:
        if param.param_type_name != "argument":
            continue
        name = _(param.metavar) if param.metavar else param.name.upper()
        if param.nargs == -1:
            name += "..."
        pieces.append(name if param.required else f"[{name}]")
    if isinstance(command, TyperGroup):
        pieces.append(_(COMMAND_WORDS))
    return f"{_(USAGE_PREFIX)} {ctx.command_path} {' '.join(pieces)}"


def _paragraphs(text: str) -> list[str]:
    """Help text paragraphs, each on one line (Rich wraps them to the width)."""
    return [" ".join(part.split()) for part in inspect.cleandoc(text).split("\n\n")
            if part.strip()]


def _short_help(command: Any) -> str:
    return _paragraphs(command.help or "")[0] if command.help else ""


# --- how it looks ---------------------------------------------------------------------


def render_help(command: Any, ctx: Any) -> str:
    """The help page as text, with colour when standard output is a terminal."""
    from rich.console import Console
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    screen = Console(highlight=False)  # what the real terminal is: width, colour
    buffer = io.StringIO()
    console = Console(file=buffer, width=screen.width, force_terminal=screen.is_terminal,
                      color_system="auto" if screen.color_system else None,
                      no_color=screen.no_color, highlight=False, emoji=False, markup=False)
    console.print(Padding(Text(usage_line(command, ctx), style="yellow"), (1, 1, 0, 1)))
    for paragraph in _paragraphs(command.help or ""):
        console.print(Padding(Text(paragraph), (1, 1, 0, 1)))
    console.print()

    def panel(title: str, table: Table) -> None:
        console.print(Panel(table, title=title, title_align="left", border_style="dim"))

    arguments = [p for p in command.get_params(ctx) if p.param_type_name == "argument"]
    options = [p for p in command.get_params(ctx)
               if p.param_type_name == "option" and not getattr(p, "hidden", False)]
    if arguments:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column(ratio=1)
        for param in arguments:
            name = _(param.metavar) if param.metavar else param.name.upper()
            table.add_row(name, Text.assemble(*help_cell(param)))
        panel(_("Arguments"), table)
    if options:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column(style="bold green", no_wrap=True)
        table.add_column(style="bold yellow", no_wrap=True)
        table.add_column(ratio=1)
        for param in options:
            long_names = [o for o in [*param.opts, *param.secondary_opts] if o.startswith("--")]
            short_names = [o for o in [*param.opts, *param.secondary_opts]
                           if not o.startswith("--")]
            table.add_row(", ".join(long_names), ", ".join(short_names), metavar_of(param),
                          Text.assemble(*help_cell(param)))
        panel(_("Options"), table)
    if isinstance(command, TyperGroup):
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column(ratio=1)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                table.add_row(name, _short_help(sub))
        panel(_("Commands"), table)
    return buffer.getvalue()


class _LocalisedCommand(TyperCommand):
    def format_help(self, ctx: Any, formatter: Any) -> None:
        formatter.write(render_help(self, ctx))

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        formatter.write(usage_line(self, ctx) + "\n")


class _LocalisedGroup(TyperGroup):
    def format_help(self, ctx: Any, formatter: Any) -> None:
        formatter.write(render_help(self, ctx))

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        formatter.write(usage_line(self, ctx) + "\n")
