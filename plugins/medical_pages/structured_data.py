"""schema.org JSON-LD for each medical page (serialised by the |jsonld filter)."""

from __future__ import annotations

import html
import re


def _absolute(siteurl: str, url: str) -> str:
    return f"{siteurl}/{url}" if siteurl else f"/{url}"


def medical_web_page(item, *, siteurl: str, clinic: dict, condition: dict, crumbs, reviewer: str | None = None) -> dict:
    page_url = _absolute(siteurl, item.url)
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": page_url,
        "url": page_url,
        "name": _plain(item.title),
        "inLanguage": "en",
        "about": {"@type": "MedicalCondition", **condition},
        "publisher": {"@type": "Organization", "name": clinic["name"], "url": clinic["url"]},
    }
    if getattr(item, "summary", None):
        data["description"] = _plain(item.summary)
    if getattr(item, "date", None):
        data["datePublished"] = item.date.date().isoformat()
    if getattr(item, "modified", None):
        data["dateModified"] = item.modified.date().isoformat()
    if getattr(item, "reviewed", None):
        data["lastReviewed"] = item.reviewed.date().isoformat()
        if reviewer:
            # A role the clinic gave us, never a person's name: the clinic is the reviewer.
            data["reviewedBy"] = {"@type": "Organization", "name": clinic["name"], "url": clinic["url"], "description": reviewer}
    graph = [data]
    if crumbs:
        graph.append({
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": position, "name": _plain(crumb.title), "item": _absolute(siteurl, crumb.url)}
                for position, crumb in enumerate(crumbs, start=1)
            ],
        })
        data["breadcrumb"] = {"@id": page_url + "#breadcrumb"}
        graph[1]["@id"] = page_url + "#breadcrumb"
    return graph if len(graph) > 1 else data


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", str(text))).replace("\xa0", " ").strip()
