"""atomic.new_folder: ``demo`` and ``init`` make a folder whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from theodoi.base.problems import TheodoiError
from theodoi.store.atomic import new_folder


def test_the_folder_appears_with_everything_in_it(tmp_path: Path) -> None:
    target = tmp_path / "nested" / "data"
    with new_folder(target) as staging:
        (staging / "communes.csv").write_text("code\n", encoding="utf-8")
        assert not target.exists()  # nothing shows until the body is done
    assert (target / "communes.csv").read_text(encoding="utf-8") == "code\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["data"]


def test_a_failure_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "data"
    with pytest.raises(RuntimeError), new_folder(target) as staging:
        (staging / "half.csv").write_text("x", encoding="utf-8")
        raise RuntimeError("stopped half way")
    assert list(tmp_path.iterdir()) == []


def test_a_system_error_names_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "data"
    target.mkdir()
    (target / "kept.txt").write_text("the clerk's", encoding="utf-8")
    with pytest.raises(TheodoiError) as raised, new_folder(target) as staging:
        (staging / "a.csv").write_text("x", encoding="utf-8")
    # A folder that is not empty cannot be replaced: it stays as it was.
    assert raised.value.check.code == "cannot-create-folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
    assert (target / "kept.txt").read_text(encoding="utf-8") == "the clerk's"
