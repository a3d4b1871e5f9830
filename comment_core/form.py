"""The comment form, as the site's templates render it and the receiver checks it.

Field names follow Staticman's (``fields[...]``, ``options[...]``), so a site
can move to or from Staticman without touching its templates. The limits are
the ``maxlength`` of each field in the page and the receiver's hard limits.
"""

NAME = "fields[name]"
MESSAGE = "fields[message]"
WEBSITE = "fields[website]"
CONSENT = "fields[consent]"
#: The honeypot: hidden from people (and from assistive technology), so only a
#: program filling every field in puts something in it.
HONEYPOT = "fields[url_confirm]"
SLUG = "options[slug]"
PARENT = "options[parent]"
KNOWN_FIELDS = (NAME, MESSAGE, WEBSITE, CONSENT, HONEYPOT, SLUG, PARENT)

#: The value the consent checkbox sends when ticked.
CONSENT_VALUE = "yes"

MAX_NAME = 80
MAX_MESSAGE = 5_000
MAX_WEBSITE = 300
