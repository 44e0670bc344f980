"""Write docs/cli.md, the command-line reference, from the commands' own --help.

The reference is generated, never edited by hand, so it cannot drift from the
code: ``--check`` exits 1 when docs/cli.md is out of date (the test suite runs it).

Each command's help is rendered in this process, through the same entry point
as the console script, with its own environment: starting one interpreter per
command made this script (and the test that runs it) take seconds.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REFERENCE = REPO / "docs" / "cli.md"
_HELP_ENV = {"COLUMNS": "100", "TERM": "dumb", "NO_COLOR": "1", "THEODOI_LANG": "vi"}


def command_paths() -> list[list[str]]:
    """Every command and sub-command, depth first, as argument lists."""
    import typer.main

    from theodoi.cli.app import build_app

    paths: list[list[str]] = []

    def walk(command: object, prefix: list[str]) -> None:
        paths.append(prefix)
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            if not getattr(sub, "hidden", False):
                walk(sub, [*prefix, name])

    walk(typer.main.get_command(build_app()), [])
    return paths


@contextlib.contextmanager
def process_environment(values: Mapping[str, str]) -> Iterator[None]:
    """``values`` in os.environ for the block, then os.environ as it was: Rich
    reads COLUMNS, TERM and NO_COLOR from the process environment, not from the
    environment theodoi is given."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def help_text(path: list[str]) -> str:
    from theodoi.cli.main import main

    env = {k: v for k, v in os.environ.items() if not k.startswith("THEODOI_")}
    env.update(_HELP_ENV)
    out = io.StringIO()
    with process_environment(_HELP_ENV), contextlib.redirect_stdout(out):
        code = main([*path, "--help"], env)
    if code != 0:
        raise RuntimeError(f"theodoi {' '.join(path)} --help exited {code}")
    return "\n".join(line.rstrip() for line in out.getvalue().strip("\n").splitlines())


def reference() -> str:
    parts = ["# Tham chiếu dòng lệnh — command-line reference", "",
             "Tạo tự động bởi `python scripts/cli_reference.py` từ `--help` của từng lệnh; "
             "đừng sửa tay. *Generated from each command's `--help`; do not edit.*", "",
             *conventions_section()]
    for path in command_paths():
        title = " ".join(["theodoi", *path])
        parts += [f"## `{title}`", "", "```text", help_text(path), "```", ""]
    parts += checks_section()
    return "\n".join(parts)


def conventions_section() -> list[str]:
    """The conventions every command keeps (theodoi.cli.conventions), said once."""
    from theodoi.cli.conventions import SHORT_OPTIONS

    shorts = ", ".join(f"`{short}` = `{long}`" for long, short in SHORT_OPTIONS.items())
    return [
        "## Quy ước — conventions", "",
        "- **Thư mục dữ liệu:** `--data THƯ_MỤC`, nếu không có thì `$THEODOI_DATA`, nếu không "
        "có nữa thì thư mục tìm thấy từ thư mục đang làm việc trở lên (chính nó hoặc thư mục "
        "con `data/`). `--data` và `--lang vi|en` luôn ở cuối danh sách tùy chọn. *The data "
        "folder: `--data`, else `$THEODOI_DATA`, else found upwards; `--data` and `--lang` "
        "come last in every command.*",
        "- **Ngày và kỳ:** ngày viết `15/09/2024` hoặc `2024-09-15`. Một kỳ: `--period` "
        "(`2026`, `2026-H1`, `2026-Q3`, `2026-09`, `2026-W37`) hoặc `--from NGÀY --to NGÀY`; "
        "ngày báo cáo nhìn vào: `--as-of`; ngày một thay đổi có hiệu lực: `--since`; ngày một "
        "việc đã diễn ra: `--date`; tuần của báo cáo tuần: `--week`. *A period is `--period` "
        "or `--from/--to`; the day a report looks at is `--as-of`; the day a change takes "
        "effect is `--since`; the day something happened is `--date`.*",
        "- **Kết quả:** `--format` chọn dạng, `--output TỆP` ghi ra tệp (ghi trọn một lần, báo "
        "một dòng trên stderr); `--sort CỘT` (`-CỘT` để xếp từ lớn đến nhỏ), `--limit SỐ_DÒNG`, "
        "`--only` để lọc bảng. *`--format`, `--output`; `--sort`, `--limit`, `--only` cut a "
        "table.*",
        "- **Ghi dữ liệu:** `--commit` lưu thay đổi vào git; `--dry-run` chỉ cho xem, không "
        "ghi. Thiếu giá trị bắt buộc thì lệnh hỏi khi chạy trong cửa sổ dòng lệnh, không bao "
        "giờ hỏi khi chạy bằng cron hay script. *`--commit` commits, `--dry-run` writes "
        "nothing; a missing value is asked for in a terminal, never in a script.*",
        f"- **Tùy chọn viết tắt — short forms:** {shorts}, `-h` = `--help`.",
        "- **Mã thoát — exit codes:** 0 xong; 1 lỗi dữ liệu hoặc của máy; 2 lỗi khi gõ lệnh; "
        "3 lỗi của theodoi (chi tiết trong tệp nhật ký lỗi); 130 dừng bằng Ctrl-C. *0 done, 1 "
        "the data or the machine, 2 the command line, 3 a fault in theodoi, 130 Ctrl-C.*",
        "",
    ]


def checks_section() -> list[str]:
    """Every problem theodoi can report, from the registry (theodoi.base.checks)."""
    from theodoi.render.problems import checks_markdown

    return ["## Các phép kiểm tra — checks", "",
            "Mỗi vấn đề theodoi báo có một mã (`theodoi validate --list-checks`); "
            "`validate --check MÃ` chỉ chạy phép đó, `--skip MÃ` bỏ qua nó. Mã thoát: 1 cho "
            "lỗi dữ liệu hoặc của máy, 2 cho lỗi khi gõ lệnh. *Every problem has a code; exit "
            "1 for the data or the machine, 2 for the command line, 3 for a fault in theodoi.*",
            "", checks_markdown()]


def main(argv: list[str]) -> int:
    text = reference()
    if "--check" in argv:
        if not REFERENCE.exists() or REFERENCE.read_text(encoding="utf-8") != text:
            print("docs/cli.md is out of date: run python scripts/cli_reference.py",
                  file=sys.stderr)
            return 1
        return 0
    REFERENCE.parent.mkdir(exist_ok=True)
    tmp = REFERENCE.with_name(".cli.md.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, REFERENCE)
    print(f"wrote {REFERENCE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
