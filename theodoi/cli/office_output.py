"""Writing a report document as an Excel workbook or a Word file, for every
command that offers ``--format xlsx`` (or ``docx``) with ``--output FILE``.

The office libraries (pandas, xlsxwriter, python-docx) are imported only
here, inside the functions, when a file is asked for: ``theodoi --help``,
``validate`` and ``visit add`` never load them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from theodoi.base import checks
from theodoi.base.problems import Location, TheodoiError
from theodoi.cli.common import fail, write_output

if TYPE_CHECKING:
    from theodoi.base.context import Context
    from theodoi.base.office import OfficeSettings
    from theodoi.render.tables import Document

OFFICE_FORMATS = ("xlsx", "docx")


def output_file(output_format: str, output: Path | None) -> Path | None:
    """The file an Excel or Word result is written to; those formats are files,
    never text for the screen, so --output is required (checked before any
    work is done).  Other formats may go to standard output (None)."""
    if output_format in OFFICE_FORMATS and output is None:
        fail(TheodoiError(checks.OUTPUT_FILE_NEEDED, format=output_format,
                          example=f"bao-cao.{output_format}"))
    return output


def write_xlsx(document: Document, ctx: Context, output: Path | None,
               as_of: date | None = None, sheet: str = "") -> None:
    """The document as a workbook: one sheet per table (``sheet`` names the
    sheet of a lone table), the title (with the day the figures were taken,
    ``as_of``) at the top of each."""
    from theodoi.render.lists import as_of_title
    from theodoi.render.xlsx import document_xlsx

    if as_of is not None:
        document = as_of_title(document, as_of, ctx.language)
    write_output(output, document_xlsx(document, ctx.language, sheet_name_hint=sheet))


def write_docx(document: Document, ctx: Context, output: Path | None,
               office: OfficeSettings, subject: str | None = None,
               template: Path | None = None) -> None:
    """The document as a Party document dated today, framed by the office settings,
    or written into the office's own template (``template``, else
    ``office.template`` from the data folder)."""
    from theodoi.render.docx import document_docx

    if template is None and office.template:
        template = ctx.data / office.template
    if template is None:
        write_output(output, document_docx(document, ctx.language, office,
                                           place_date=ctx.today, subject=subject))
        return
    from theodoi.render.template import template_docx
    from theodoi.store.textfile import display_path

    try:
        data = template.read_bytes()
    except OSError as exc:
        fail(TheodoiError(checks.TEMPLATE_UNREADABLE, Location(display_path(template)),
                          reason=exc.strerror or type(exc).__name__))
    write_output(output, template_docx(document, ctx.language, office, data,
                                       display_path(template), ctx.today, subject or ""))


def show_document(document: Document, ctx: Context, output: Path | None = None) -> None:
    """A document for people: to --output as plain text; else plain text where
    no terminal is (a pipe, a file, cron); Rich's boxes in a terminal."""
    import sys

    from theodoi.render.plain import document_text
    from theodoi.render.terminal import plain_output, plain_width

    if output is not None or plain_output(sys.stdout, ctx.environ):
        write_output(output, document_text(document, ctx.language, plain_width(ctx.environ)))
        return
    from theodoi.render.console import make_console, print_document

    print_document(document, make_console(sys.stdout, ctx.environ, plain=False), ctx.language)
