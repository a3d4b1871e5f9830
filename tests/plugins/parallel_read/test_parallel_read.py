"""parallel_read: a build with it writes exactly what a build without it writes."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from parallel_read.settings import ParallelReadSettingsError
from pelican import Pelican
from pelican.settings import read_settings

BODY = """Some *emphasis*, a [link](https://example.org/), "quotes" -- and dashes.

## A heading

- one
- two

| a | b |
|---|---|
| 1 | 2 |

Footnote here[^1].

[^1]: The note.
"""


def _content(folder: Path, count: int = 12) -> Path:
    (folder / "articles").mkdir(parents=True)
    (folder / "pages").mkdir()
    for n in range(count):
        (folder / "articles" / f"a{n}.md").write_text(
            f"Title: Article {n}\nDate: 2026-01-{n % 28 + 1:02d}\nTags: t{n % 3}, shared\nAuthor: Example\n\n{BODY}",
            encoding="utf-8",
        )
    for n in range(10):
        (folder / "pages" / f"p{n}.md").write_text(f"Title: Page {n}\n\n{BODY}", encoding="utf-8")
    return folder


def build(tmp_path: Path, content: Path, name: str, plugins: list[str], **overrides) -> Path:
    output = tmp_path / name
    settings = read_settings(None, override={
        "PATH": str(content), "OUTPUT_PATH": str(output), "CACHE_PATH": str(tmp_path / f"cache-{name}"),
        "PLUGINS": plugins, "SITEURL": "", "TIMEZONE": "UTC", "TYPOGRIFY": True,
        "ARTICLE_PATHS": ["articles"], "PAGE_PATHS": ["pages"], "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True, "FEED_ALL_ATOM": None, "CATEGORY_FEED_ATOM": None, **overrides,
    })
    logging.getLogger("pelican").setLevel(logging.WARNING)
    Pelican(settings).run()
    return output


def _files(output: Path) -> dict:
    return {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}


def test_the_output_is_byte_identical_to_pelican_reading_alone(tmp_path, caplog):
    content = _content(tmp_path / "content")
    caplog.set_level(logging.INFO, logger="parallel_read")
    parallel = build(tmp_path, content, "parallel", ["parallel_read"])
    alone = build(tmp_path, content, "alone", [])
    assert _files(parallel) == _files(alone)
    assert len(_files(parallel)) > 22
    parsed = [r.getMessage() for r in caplog.records if r.getMessage().startswith("parallel_read: parsed")]
    assert [m.split(" files")[0] for m in parsed] == ["parallel_read: parsed 12", "parallel_read: parsed 10"]


def test_a_warm_build_parses_only_the_changed_file_and_writes_it(tmp_path, caplog):
    content = _content(tmp_path / "content")
    build(tmp_path, content, "site", ["parallel_read"])
    (content / "articles" / "a3.md").write_text("Title: Article 3\nDate: 2026-01-04\n\nChanged words.\n")
    caplog.set_level(logging.INFO, logger="parallel_read")
    output = build(tmp_path, content, "site", ["parallel_read"], PARALLEL_READ_MIN_FILES=1)
    parsed = [r.getMessage() for r in caplog.records if r.getMessage().startswith("parallel_read: parsed")]
    assert [m.split(" files")[0] for m in parsed] == ["parallel_read: parsed 1"]
    assert "Changed&nbsp;words." in (output / "article-3.html").read_text(encoding="utf-8")  # typogrify: no widow


def test_without_a_reader_cache_pelican_reads_alone(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="parallel_read")
    build(tmp_path, _content(tmp_path / "content"), "site", ["parallel_read"], CACHE_CONTENT=False)
    assert not [r for r in caplog.records if r.getMessage().startswith("parallel_read: parsed")]


def test_a_bad_worker_count_stops_the_build_with_a_message_naming_it(tmp_path):
    with pytest.raises(ParallelReadSettingsError, match="PARALLEL_READ_WORKERS must be a whole number of at least 1"):
        build(tmp_path, _content(tmp_path / "content"), "site", ["parallel_read"], PARALLEL_READ_WORKERS=0)
