"""The call to action: the site-wide ``CTA`` setting plus per-page metadata.

Per-page metadata (all optional):

* ``Cta: off`` hides the block on that page (``Cta: on`` shows it even where
  the default would not, e.g. on a hidden page);
* ``Cta_heading: ...`` and ``Cta_text: ...`` replace the heading and text.

The ``CTA_PAGES`` setting gives pages their own wording by source path (e.g.
a cause page whose readers a vein clinic cannot treat); page metadata wins
over it, and it wins over the site-wide ``CTA``.

Pages whose status is not "published" (e.g. the hidden 404 page) get no block
unless they say ``Cta: on``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .settings import Cta

ON_VALUES = ("on", "yes", "true")
OFF_VALUES = ("off", "no", "false")


@dataclass(frozen=True)
class CtaBlock:
    """What the cta.html partial renders."""

    heading: str
    text: str
    link_url: str
    link_label: str
    heading_id: str = "cta-heading"


def cta_for(item, kind: str, cta: Cta, report) -> CtaBlock | None:
    """The block for one article/page, or None; bad metadata goes to ``report``."""
    metadata = getattr(item, "metadata", {}) or {}
    source = getattr(item, "source_path", None)
    switch = metadata.get("cta")
    forced = None
    if switch is not None:
        value = str(switch).strip().lower()
        if value in ON_VALUES:
            forced = True
        elif value in OFF_VALUES:
            forced = False
        else:
            report(source, f"'Cta: {switch}' is not understood; write 'Cta: off' to hide the call to action (or 'Cta: on')")
            return None
    overrides = {}
    for key in ("cta_heading", "cta_text"):
        if key in metadata:
            value = str(metadata[key]).strip()
            if not value:
                name = key.capitalize()
                report(source, f"'{name}:' is empty; write the text after the colon or remove the line")
                return None
            overrides[key[4:]] = value
    if forced is False or not cta.enabled:
        return None
    published = getattr(item, "status", "published") == "published"
    if forced is None and (not published or kind not in cta.show_on):
        return None
    wording = {**cta.pages.get(source_key(item), {}), **overrides}
    return CtaBlock(
        heading=wording.get("heading", cta.heading),
        text=wording.get("text", cta.text),
        link_url=cta.link_url,
        link_label=wording.get("link_label", cta.link_label),
    )


def source_key(item) -> str | None:
    """The item's source path relative to PATH, with '/' separators: the CTA_PAGES key."""
    relative = getattr(item, "relative_source_path", None)
    return relative.replace("\\", "/") if relative else None


def unmatched_pages(cta: Cta, items) -> list[str]:
    """CTA_PAGES keys that name no article or page of this build (likely typos)."""
    known = {source_key(item) for item in items}
    return sorted(path for path in cta.pages if path not in known)
