"""The comment form, as the site's templates render it and the receiver checks it.

Field names follow Staticman's convention (``fields[...]``, ``options[...]``),
which many static-site comment forms share. The limits are
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

#: Names a visitor may not sign with, compared after folding case, look-alike
#: letters and punctuation (comment_core.text.impersonates): the clinic's
#: name and the call to action's label. The clinic's own replies are added by
#: hand as comment files, which the build accepts.
CLINIC_NAME = "Truffles Vein Specialists"
CTA_LABEL = "Book a consultation"
RESERVED_NAMES = (CLINIC_NAME, CTA_LABEL)

MAX_NAME = 80
MAX_MESSAGE = 5_000
MAX_WEBSITE = 300
