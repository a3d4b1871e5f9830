"""medical_pages settings: a bad value stops the build naming the setting."""

from __future__ import annotations

import pytest
from medical_pages.settings import MedicalSettingsError, read_settings

GOOD = {
    "PATH": "content",
    "CLINIC": {"name": "Truffles Vein Specialists", "url": "https://trufflesveinspecialists.com/"},
}


def test_the_projects_settings_are_accepted():
    read_settings(GOOD)


@pytest.mark.parametrize(
    "name, value",
    [
        ("MEDICAL_TEMPLATES", "cause"),
        ("MEDICAL_TEMPLATES", ["cause", 3]),
        ("CAUSES_DIR", "/"),
        ("CAUSES_DIR", ""),
        ("CAUSES_DIR", 7),
        ("MEDICAL_REFERENCES", 5),
        ("MEDICAL_CONDITION", {"alternateName": "no name"}),
        ("MEDICAL_CONDITION", "Restless legs syndrome"),
        ("CLINIC", None),
        ("CLINIC", {"name": "Truffles Vein Specialists"}),
        ("CLINIC", {"name": "Truffles Vein Specialists", "url": "http://trufflesveinspecialists.com/"}),
        ("CLINIC", {"url": "https://trufflesveinspecialists.com/"}),
    ],
)
def test_a_bad_value_raises_naming_the_setting(name, value):
    with pytest.raises(MedicalSettingsError) as error:
        read_settings({**GOOD, name: value})
    assert name in str(error.value)
