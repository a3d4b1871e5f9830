"""site_compression: builds a tiny real site and reads what it wrote."""

from __future__ import annotations

import gzip
import logging
import os
from pathlib import Path

import brotli
import pytest
from pelican import Pelican
from pelican.settings import read_settings
from site_compression.settings import CompressionSettingsError

PARAGRAPH = "A paragraph of example text that repeats, so that it compresses well. " * 30


def _content(folder: Path, articles: int = 3) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(articles):
        (folder / f"a{n}.md").write_text(
            f"Title: Article {n}\nDate: 2026-01-0{n + 1}\nSlug: article-{n}\n\n{PARAGRAPH}\n", encoding="utf-8"
        )
    return folder


def build(tmp_path: Path, content: Path, output: Path | None = None, **overrides) -> Path:
    output = output or tmp_path / "output"
    settings = read_settings(None, override={
        "PATH": str(content), "OUTPUT_PATH": str(output), "CACHE_PATH": str(tmp_path / "cache"),
        "PLUGINS": ["site_compression"], "SITEURL": "", "TIMEZONE": "UTC",
        "FEED_ALL_ATOM": "feeds/all.atom.xml", "CATEGORY_FEED_ATOM": None,
        "DELETE_OUTPUT_DIRECTORY": False, "PLUGIN_PATHS": [], **overrides,
    })
    logging.getLogger("pelican").setLevel(logging.WARNING)
    Pelican(settings).run()
    return output


def _compressed_pairs(output: Path):
    for path in output.rglob("*"):
        if path.suffix in {".html", ".xml", ".css"} and path.stat().st_size >= 20:
            yield path


def test_every_text_file_gets_br_and_gz_that_decompress_to_it(tmp_path):
    output = build(tmp_path, _content(tmp_path / "content"))
    checked = 0
    for path in _compressed_pairs(output):
        data = path.read_bytes()
        assert brotli.decompress(path.with_name(path.name + ".br").read_bytes()) == data, path
        assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == data, path
        checked += 1
    assert checked >= 4  # three articles, the index, the feed
    assert (output / "feeds" / "all.atom.xml.br").exists()


def test_a_second_build_takes_every_result_from_the_cache_and_writes_the_same_bytes(tmp_path, caplog):
    content = _content(tmp_path / "content")
    first = build(tmp_path, content)
    before = {p: p.read_bytes() for p in first.rglob("*") if p.suffix in (".br", ".gz")}
    caplog.set_level(logging.INFO, logger="site_compression")
    second = build(tmp_path, content, output=tmp_path / "second")
    after = {p.relative_to(second): p.read_bytes() for p in second.rglob("*") if p.suffix in (".br", ".gz")}
    assert after == {p.relative_to(first): b for p, b in before.items()}
    summary = [r.getMessage() for r in caplog.records if "inputs compressed" in r.getMessage()]
    assert summary and summary[-1].startswith("site_compression: 0 inputs compressed"), summary


def test_a_changed_page_is_compressed_again_and_unchanged_files_are_not_rewritten(tmp_path):
    content = _content(tmp_path / "content")
    output = build(tmp_path, content)
    untouched = output / "article-1.html.br"
    os.utime(untouched, (1_000_000, 1_000_000))
    (content / "a0.md").write_text(
        "Title: Article 0\nDate: 2026-01-01\nSlug: article-0\n\nNew words, entirely different. " * 3, encoding="utf-8"
    )
    build(tmp_path, content)
    page = output / "article-0.html"
    assert brotli.decompress((output / "article-0.html.br").read_bytes()) == page.read_bytes()
    assert b"entirely different" in page.read_bytes()
    assert untouched.stat().st_mtime == 1_000_000, "an unchanged .br is left as it was"


def test_stale_compressed_files_are_removed_and_foreign_archives_kept(tmp_path):
    content = _content(tmp_path / "content")
    output = tmp_path / "output"
    output.mkdir()
    orphan = output / "deleted-article.html.br"
    orphan_gz = output / "deleted-article.html.gz"
    archive = output / "downloads.tar.gz"
    for stale in (orphan, orphan_gz, archive):
        stale.write_bytes(b"old bytes")
    build(tmp_path, content, output=output)
    assert not orphan.exists() and not orphan_gz.exists()
    assert archive.read_bytes() == b"old bytes"


def test_files_below_the_minimum_size_or_that_would_grow_get_no_copies(tmp_path):
    content = _content(tmp_path / "content")
    output = tmp_path / "output"
    output.mkdir()
    stale = output / "tiny.txt.gz"
    stale.write_bytes(b"from an earlier build")
    extra = content / "extra"
    extra.mkdir()
    (extra / "tiny.txt").write_text("x" * 10, encoding="utf-8")
    (extra / "random.txt").write_bytes(os.urandom(600).hex().encode()[:100])
    build(tmp_path, content, output=output, STATIC_PATHS=["extra"],
          EXTRA_PATH_METADATA={"extra/tiny.txt": {"path": "tiny.txt"}, "extra/random.txt": {"path": "random.txt"}})
    assert (output / "tiny.txt").exists() and not stale.exists()
    assert not (output / "tiny.txt.br").exists()
    random = output / "random.txt"
    for suffix in (".br", ".gz"):
        copy = random.with_name(random.name + suffix)
        assert not copy.exists() or copy.stat().st_size < random.stat().st_size


def test_the_result_does_not_depend_on_plugin_order(tmp_path):
    """Listed before the minifier, compression still sees the minified pages."""
    content = _content(tmp_path / "content")
    theme_css = tmp_path / "site.css"
    theme_css.write_text("body {\n  color: black;\n}\n", encoding="utf-8")
    output = build(tmp_path, content, PLUGINS=["site_compression", "site_assets"],
                   MINIFY_OUTPUT=True, ASSET_CSS=[str(theme_css)])
    page = output / "article-0.html"
    assert b"\n  " not in page.read_bytes(), "the page is minified"
    assert brotli.decompress((output / "article-0.html.br").read_bytes()) == page.read_bytes()
    assert gzip.decompress((output / "article-0.html.gz").read_bytes()) == page.read_bytes()


def test_only_the_enabled_formats_are_written(tmp_path):
    output = build(tmp_path, _content(tmp_path / "content"), COMPRESS_BROTLI=False)
    assert (output / "article-0.html.gz").exists()
    assert not list(output.rglob("*.br"))


@pytest.mark.parametrize("name, value, expected", [
    ("COMPRESS_BROTLI_QUALITY", 12, "COMPRESS_BROTLI_QUALITY must be a whole number from 0 to 11"),
    ("COMPRESS_GZIP", "yes", "COMPRESS_GZIP must be True or False"),
    ("COMPRESS_EXTENSIONS", [".html", ".gz"], "must not list ['.gz']"),
    ("COMPRESS_EXTENSIONS", ["html"], "suffixes starting with a dot"),
])
def test_a_bad_setting_stops_the_build_with_a_message_naming_it(tmp_path, name, value, expected):
    with pytest.raises(CompressionSettingsError) as error:
        build(tmp_path, _content(tmp_path / "content"), **{name: value})
    assert expected in str(error.value)
