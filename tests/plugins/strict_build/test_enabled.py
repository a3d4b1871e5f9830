"""plugin_listed: does this build's PLUGINS name the plugin (plainly or as a dotted path)?"""

from __future__ import annotations

import pytest
from strict_build import plugin_listed


@pytest.mark.parametrize(
    "plugins",
    [["strict_build"], ["site_assets", "strict_build"], ["plugins.strict_build"], ("pelican.plugins.strict_build",)],
)
def test_a_plain_or_dotted_entry_lists_the_plugin(plugins):
    assert plugin_listed({"PLUGINS": plugins}, "strict_build")


def test_the_module_name_may_itself_be_dotted():
    assert plugin_listed({"PLUGINS": ["sitemap"]}, "pelican.plugins.sitemap")


@pytest.mark.parametrize(
    "plugins",
    [[], None, ["site_assets"], ["my_strict_build"], ["strict_build.extra"], ["strict"]],
)
def test_other_entries_or_none_do_not_list_it(plugins):
    assert not plugin_listed({"PLUGINS": plugins}, "strict_build")


def test_missing_plugins_setting_lists_nothing():
    assert not plugin_listed({}, "strict_build")


def test_settings_are_read_in_one_place_with_the_project_as_the_content_folders_parent():
    from pathlib import Path

    from strict_build.settings import read_settings

    config = read_settings({"PATH": "/site/content", "ARTICLE_PATHS": ["guide"], "PAGE_PATHS": ["causes", "pages"],
                            "STATIC_PATHS": ["extra"], "PAGE_EXCLUDES": ["comments"], "IGNORE_FILES": ["*~"]})
    assert config.project == Path("/site") and config.siteurl == ""
    assert config.read_from == ("guide", "causes", "pages") and config.skipped == ("extra", "comments")
    assert config.ignores == ("*~",)
