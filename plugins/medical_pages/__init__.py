"""What makes a page of this site a trustworthy medical page.

Validates the metadata authors write (dates, the header block), records when a
page was last reviewed, and derives the "On this page" outline. See README.md.
"""

from .plugin import register

__all__ = ["register"]
