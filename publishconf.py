"""Production settings: `make publish` builds with these.

Only what differs from development lives here; everything else comes from
pelicanconf.py.
"""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "http://127.0.0.1:8000").rstrip("/")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
MINIFY_OUTPUT = True
