"""All medical_pages settings, read and validated in one place.

MEDICAL_TEMPLATES    page templates whose pages are medical pages: they must carry
                     a `Reviewed:` date and show the disclaimer. Articles always
                     are. Default: ("medical", "cause", "causes_hub").
CAUSES_DIR           folder (inside PATH) whose Markdown files are cause pages;
                     they get the "cause" template, a place in the hub and
                     previous/next links. Default: "causes".
MEDICAL_REFERENCES   the shared numbered reference list that `[@N]` citations
                     point into, relative to PATH. Default: "data/references.yaml".
MEDICAL_CONDITION    schema.org MedicalCondition the pages are about. Default:
                     {"name": "Restless legs syndrome",
                      "alternateName": "Willis–Ekbom disease"}.
CLINIC               {"name": …, "url": …}: the publisher. Required.
MEDICAL_REVIEWER     who reviews the medical pages, as a role the clinic gives us
                     (never a made-up name), shown as "Last reviewed: … by <role>"
                     and as JSON-LD `reviewedBy`. Default: None (not shown).
MEDICAL_REVIEW_INTERVAL_MONTHS
                     months from `Reviewed:` to the "Next review due" date; a page
                     may set its own `Next_review:` date instead. Default: 12.
MEDICAL_REVIEW_OVERDUE_FAILS
                     fail the build when a page's next review date has passed.
                     Default: False; publishconf.py turns it on, so `make publish`
                     refuses an overdue page and `make html` still builds it.
MEDICAL_METADATA_KEYS
                     metadata keys a page may use besides the documented ones
                     (README); any other key stops the build with a did-you-mean.
                     Default: () (none).
GUIDE_NOTICE         text of the notice near the top of the guide (every
                     article) saying its text is the clinic's, kept as written.
                     Default: None (no notice).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .header_check import KNOWN_KEYS


class MedicalSettingsError(ValueError):
    pass


DEFAULT_CONDITION = {"name": "Restless legs syndrome", "alternateName": "Willis–Ekbom disease"}


@dataclass(frozen=True)
class MedicalSettings:
    medical_templates: frozenset[str]
    causes_dir: str
    references_path: Path
    condition: dict
    clinic: dict
    siteurl: str
    reviewer: str | None = None
    review_interval_months: int = 12
    review_overdue_fails: bool = False
    guide_notice: str | None = None
    metadata_keys: frozenset[str] = KNOWN_KEYS
    date_format: str = "%Y-%m-%d"


def read_settings(settings: dict) -> MedicalSettings:
    templates = settings.get("MEDICAL_TEMPLATES", ("medical", "cause", "causes_hub"))
    if isinstance(templates, str) or not all(isinstance(t, str) for t in templates):
        raise MedicalSettingsError(f"MEDICAL_TEMPLATES must be a list of template names, got {templates!r}")
    causes_dir = settings.get("CAUSES_DIR", "causes")
    if not isinstance(causes_dir, str) or not causes_dir.strip("/"):
        raise MedicalSettingsError(f"CAUSES_DIR must be a folder name inside PATH, got {causes_dir!r}")
    references = settings.get("MEDICAL_REFERENCES", "data/references.yaml")
    if not isinstance(references, (str, os.PathLike)):
        raise MedicalSettingsError(f"MEDICAL_REFERENCES must be a file path, got {references!r}")
    condition = settings.get("MEDICAL_CONDITION", DEFAULT_CONDITION)
    if not isinstance(condition, dict) or not condition.get("name"):
        raise MedicalSettingsError("MEDICAL_CONDITION must be a dict with at least a 'name'")
    clinic = settings.get("CLINIC")
    if not isinstance(clinic, dict) or not clinic.get("name") or not str(clinic.get("url", "")).startswith("https://"):
        raise MedicalSettingsError("CLINIC must be a dict with 'name' and an https:// 'url'")
    return MedicalSettings(
        medical_templates=frozenset(templates),
        causes_dir=causes_dir.strip("/"),
        references_path=Path(settings["PATH"]) / references,
        condition=dict(condition),
        clinic=dict(clinic),
        siteurl=settings.get("SITEURL", ""),
        date_format=settings.get("DEFAULT_DATE_FORMAT", "%Y-%m-%d"),
        metadata_keys=KNOWN_KEYS | _extra_metadata_keys(settings),
        **_read_review_settings(settings),
    )


def _extra_metadata_keys(settings: dict) -> frozenset[str]:
    extra = settings.get("MEDICAL_METADATA_KEYS", ())
    if isinstance(extra, str) or not all(isinstance(key, str) and key.strip() for key in extra):
        raise MedicalSettingsError(f"MEDICAL_METADATA_KEYS must be a list of key names, got {extra!r}")
    return frozenset(key.strip().lower() for key in extra)


def _optional_text(settings: dict, name: str) -> str | None:
    value = settings.get(name)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise MedicalSettingsError(f"{name} must be non-empty text or None, got {value!r}")
    return value.strip() if value else None


def _read_review_settings(settings: dict) -> dict:
    interval = settings.get("MEDICAL_REVIEW_INTERVAL_MONTHS", 12)
    if not isinstance(interval, int) or isinstance(interval, bool) or not 1 <= interval <= 60:
        raise MedicalSettingsError(f"MEDICAL_REVIEW_INTERVAL_MONTHS must be a whole number from 1 to 60, got {interval!r}")
    fails = settings.get("MEDICAL_REVIEW_OVERDUE_FAILS", False)
    if not isinstance(fails, bool):
        raise MedicalSettingsError(f"MEDICAL_REVIEW_OVERDUE_FAILS must be True or False, got {fails!r}")
    return {
        "reviewer": _optional_text(settings, "MEDICAL_REVIEWER"),
        "review_interval_months": interval,
        "review_overdue_fails": fails,
        "guide_notice": _optional_text(settings, "GUIDE_NOTICE"),
    }
