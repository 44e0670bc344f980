"""``theodoi sync``: fetch, merge record by record, validate and audit, push."""

from __future__ import annotations

from typing import TYPE_CHECKING

from theodoi.base.i18n import N_, _
from theodoi.cli.common import DataOption, LangOption, context, fail, write_stdout, writers_lock

if TYPE_CHECKING:
    import typer

    from theodoi.workspace.sync import Synced, Tally


def sync_command(data: DataOption = None, lang: LangOption = None) -> None:
    from theodoi.base.problems import TheodoiError
    from theodoi.store.git import Git
    from theodoi.workspace.sync import CheckMerged, sync

    ctx = context(data)
    git = Git(ctx.environ)
    try:
        with writers_lock(ctx):  # no record is appended while the merge writes
            synced = sync(ctx.data, git, CheckMerged(git, ctx.today, ctx.cache_dir))
    except TheodoiError as error:
        fail(error)
    write_stdout(synced_text(synced))


def synced_text(synced: Synced) -> str:
    lines = [_("Synced with {remote} (branch {branch}).").format(remote=synced.remote,
                                                                 branch=synced.branch)]
    if synced.attributes_added:
        lines.append("  " + _("Committed .gitattributes first: the journals are now merged "
                              "record by record."))
    for label, tally in ((_("Came in"), synced.incoming), (_("Went out"), synced.outgoing)):
        lines.append(f"  {label}: {tally_text(tally)}")
    return "\n".join(lines) + "\n"


def tally_text(tally: Tally) -> str:
    if tally.empty:
        return _("nothing")
    parts = [text.format(count=count) for text, count in (
        (_("{count} visits"), tally.visits), (_("{count} corrections"), tally.corrections),
        (_("{count} proposal status changes"), tally.statuses),
        (_("{count} acknowledgements"), tally.acknowledgements),
        (_("{count} planned visits"), tally.plans),
        (_("{count} other files (reports, registers)"), tally.files)) if count]
    text = ", ".join(parts)
    if tally.authors:
        text += _(" (from {authors})").format(authors=", ".join(tally.authors))
    return text


def register(app: typer.Typer) -> None:
    app.command("sync", help=N_(
        "Share the data with the other machines through its git remote: fetch, merge the "
        "journals record by record, validate and audit the result, push. Says what came in "
        "and what went out."))(sync_command)
