"""site_assets settings: documented defaults, and a bad value names the setting."""

from __future__ import annotations

import pytest
from site_assets.settings import AssetSettings, AssetSettingsError, read_settings


def test_defaults():
    assert read_settings({}) == AssetSettings(css=(), js=(), directory="static", minify=False)


def test_good_values_are_read(tmp_path):
    css, js = tmp_path / "a.css", tmp_path / "b.js"
    css.write_text("a{}", encoding="utf-8")
    js.write_text("", encoding="utf-8")
    read = read_settings({"ASSET_CSS": [str(css)], "ASSET_JS": (js,), "ASSET_DIR": "assets/", "MINIFY_OUTPUT": True})
    assert read == AssetSettings(css=(css,), js=(js,), directory="assets", minify=True)


@pytest.mark.parametrize(
    "name, value, expected",
    [
        ("ASSET_CSS", "theme/static/css/site.css", "ASSET_CSS must be a list of file paths"),
        ("ASSET_CSS", ["/no/such/file.css"], "ASSET_CSS: no such file '/no/such/file.css'"),
        ("ASSET_JS", {"form.js"}, "ASSET_JS must be a list of file paths"),
        ("ASSET_JS", ["/no/such/form.js"], "ASSET_JS: no such file '/no/such/form.js'"),
        ("ASSET_DIR", "", "ASSET_DIR must be a relative folder name"),
        ("ASSET_DIR", "/var/www/static", "ASSET_DIR must be a relative folder name"),
        ("ASSET_DIR", None, "ASSET_DIR must be a relative folder name"),
        ("MINIFY_OUTPUT", "yes", "MINIFY_OUTPUT must be True or False, got 'yes'"),
        ("MINIFY_OUTPUT", 1, "MINIFY_OUTPUT must be True or False"),
    ],
)
def test_a_bad_value_raises_naming_the_setting(name, value, expected):
    with pytest.raises(AssetSettingsError) as error:
        read_settings({name: value})
    assert expected in str(error.value)


def test_a_folder_is_not_a_file(tmp_path):
    with pytest.raises(AssetSettingsError, match="ASSET_CSS: no such file"):
        read_settings({"ASSET_CSS": [str(tmp_path)]})

