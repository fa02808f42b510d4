"""The per-user cache folder holds code the tool runs: it is used only when it is private."""

from __future__ import annotations

from pathlib import Path

import pytest

from protocol_dsl.syntax import parser
from protocol_dsl.user_cache import private_folder, write_atomically


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "protocol-dsl"


def test_a_private_folder_is_created_for_the_user_only(cache_home: Path) -> None:
    assert private_folder() == str(cache_home)
    assert cache_home.stat().st_mode & 0o777 == 0o700
    assert private_folder("templates") == str(cache_home / "templates")


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o722])
def test_a_folder_others_can_write_to_is_not_used(cache_home: Path, mode: int) -> None:
    cache_home.mkdir()
    cache_home.chmod(mode)
    assert private_folder() is None
    # the parser's grammar tables (pickles) are then not cached at all
    assert parser._cache_path(parser.grammar_text()) is None
    cache_home.chmod(0o700)
    assert private_folder() is not None
    assert parser._cache_path(parser.grammar_text()).startswith(str(cache_home))


def test_a_file_in_the_way_means_no_cache(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    assert private_folder() is None


def test_writes_replace_whole_files_and_failures_are_quiet(tmp_path: Path) -> None:
    target = tmp_path / "table"
    write_atomically(str(target), b"one")
    write_atomically(str(target), b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["table"]  # no temporary left behind
    write_atomically(str(tmp_path / "missing" / "table"), b"x")  # no error
    assert not (tmp_path / "missing").exists()
