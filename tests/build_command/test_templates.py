"""Compiled templates are cached per user, and a missing, foreign or broken cache changes nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generators import templates

pytest.importorskip("jinja2", reason="the templates are Jinja2")

SOURCE = "{% macro item(x) %}<li>{{ x }}</li>{% endmacro %}<ul>{% for x in xs %}{{ item(x) }}{% endfor %}</ul>"
EXPECTED = "<ul><li>a &amp; b</li><li>&lt;c&gt;</li></ul>"


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    (tmp_path / "page.j2").write_text(SOURCE, encoding="utf-8")
    return tmp_path


@pytest.fixture()
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    templates._bytecode_cache.cache_clear()
    yield home
    templates._bytecode_cache.cache_clear()


def _render(folder: Path) -> str:
    environment = templates.environment(folder, autoescape=True)
    return environment.get_template("page.j2").render(xs=["a & b", "<c>"])


def test_first_build_fills_the_cache_and_later_builds_read_it(
    folder: Path, cache_home: Path
) -> None:
    assert _render(folder) == EXPECTED
    cached = list(templates.cache_folder().glob("jinja2-*.cache"))
    assert len(cached) == 1
    assert templates.cache_folder().stat().st_mode & 0o777 == 0o700
    before = cached[0].stat().st_mtime_ns
    assert _render(folder) == EXPECTED
    assert cached[0].stat().st_mtime_ns == before  # read, not compiled and written again


def test_a_changed_template_is_compiled_again(folder: Path, cache_home: Path) -> None:
    assert _render(folder) == EXPECTED
    (folder / "page.j2").write_text("<p>{{ xs|length }}</p>", encoding="utf-8")
    assert _render(folder) == "<p>2</p>"


def test_a_broken_cache_file_is_ignored(folder: Path, cache_home: Path) -> None:
    _render(folder)
    for path in templates.cache_folder().glob("jinja2-*.cache"):
        path.write_bytes(b"not a jinja2 bytecode file")
    assert _render(folder) == EXPECTED


def test_no_cache_where_the_folder_cannot_be_made(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    templates._bytecode_cache.cache_clear()
    try:
        assert templates._bytecode_cache() is None
        assert _render(folder) == EXPECTED
    finally:
        templates._bytecode_cache.cache_clear()


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_no_cache_in_a_folder_others_can_write(folder: Path, cache_home: Path) -> None:
    shared = templates.cache_folder()
    shared.mkdir(parents=True)
    shared.chmod(0o777)
    assert templates._bytecode_cache() is None
    assert _render(folder) == EXPECTED
    assert not list(shared.glob("jinja2-*.cache"))
