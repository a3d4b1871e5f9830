"""One stylesheet and each script, named by a hash of exactly what is published."""

from __future__ import annotations

import hashlib
from pathlib import Path

from site_assets.bundle import build_assets
from site_assets.settings import AssetSettings

THEME_CSS = "/* theme */\nbody {\n  color: #222;\n}\n"
PLUGIN_CSS = "/* plugin */\n.tc-cta  {  margin : 0 ; }\n"


def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    theme, plugin, script = tmp_path / "site.css", tmp_path / "comments.css", tmp_path / "form.js"
    theme.write_text(THEME_CSS, encoding="utf-8")
    plugin.write_text(PLUGIN_CSS, encoding="utf-8")
    script.write_text("// keep me as written\nconsole.log( 1 );\n", encoding="utf-8")
    return theme, plugin, script


def settings(css=(), js=(), minify=False) -> AssetSettings:
    return AssetSettings(tuple(css), tuple(js), "static", minify)


def hash10(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def test_css_files_are_joined_in_order_into_one_stylesheet(tmp_path):
    theme, plugin, _ = files(tmp_path)
    asset = build_assets(settings(css=[theme, plugin]))["site.css"]
    assert asset.logical_name == "site.css"
    assert asset.content == (THEME_CSS + "\n" + PLUGIN_CSS).encode("utf-8")


def test_the_file_name_carries_a_hash_of_the_published_content(tmp_path):
    theme, plugin, _ = files(tmp_path)
    asset = build_assets(settings(css=[theme, plugin]))["site.css"]
    assert asset.file_name == f"site.{hash10(asset.content)}.css"


def test_the_same_sources_always_give_the_same_name(tmp_path):
    theme, plugin, _ = files(tmp_path)
    names = {build_assets(settings(css=[theme, plugin]))["site.css"].file_name for _ in range(3)}
    assert len(names) == 1


def test_any_change_gives_a_new_name(tmp_path):
    theme, plugin, _ = files(tmp_path)
    before = build_assets(settings(css=[theme, plugin]))["site.css"].file_name
    plugin.write_text(PLUGIN_CSS.replace("0", "1"), encoding="utf-8")
    assert build_assets(settings(css=[theme, plugin]))["site.css"].file_name != before
    assert build_assets(settings(css=[plugin, theme]))["site.css"].file_name != before


def test_minified_css_drops_comments_and_spaces_and_is_hashed_as_published(tmp_path):
    theme, plugin, _ = files(tmp_path)
    asset = build_assets(settings(css=[theme, plugin], minify=True))["site.css"]
    assert asset.content == b"body{color:#222}.tc-cta{margin:0}"
    assert asset.file_name == f"site.{hash10(asset.content)}.css"


def test_each_script_is_published_as_written_under_its_own_name(tmp_path):
    _, _, script = files(tmp_path)
    other = tmp_path / "menu.js"
    other.write_bytes(b"export {};\n")
    assets = build_assets(settings(js=[script, other], minify=True))
    assert set(assets) == {"form.js", "menu.js"}
    assert assets["form.js"].content == script.read_bytes()
    assert assets["form.js"].file_name == f"form.{hash10(script.read_bytes())}.js"
    assert assets["menu.js"].file_name == f"menu.{hash10(b'export {};' + bytes([10]))}.js"


def test_a_file_without_suffix_gets_the_hash_at_the_end(tmp_path):
    plain = tmp_path / "worker"
    plain.write_bytes(b"x")
    assert build_assets(settings(js=[plain]))["worker"].file_name == f"worker.{hash10(b'x')}"


def test_no_css_means_no_stylesheet(tmp_path):
    assert build_assets(settings()) == {}
