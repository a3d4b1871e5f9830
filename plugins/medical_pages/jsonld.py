"""Serialise structured data for a <script type="application/ld+json"> element."""

from __future__ import annotations

import json

from markupsafe import Markup


def jsonld(data) -> Markup:
    """JSON for embedding in HTML: json.dumps, then escape what could end the script.

    "</script>" inside a string would close the element early; "<!--" would
    change how the HTML parser reads the rest. Escaping < > & as \\u003c etc.
    keeps the JSON identical for any JSON parser.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)
