"""Medical content checks: safety sections, readable editor's notes, cautions
next to every medicine, and the pages about the site itself."""

from __future__ import annotations

import re

import pytest

from tests.support.sitebuild import CAUSE_URLS, soup_of
from tests.support.textnorm import normalise

GUIDE = "/"
NEW_PAGES = ["/treatments/", "/about/", "/comment-policy/"]
# Pages that carry the "When to get help" section with urgent and routine parts.
HELP_PAGES = [GUIDE, "/treatments/", *CAUSE_URLS]
# Pages that may name a medicine used to treat RLS.
MEDICINE_PAGES = [GUIDE, "/causes/", "/treatments/", *CAUSE_URLS]

# Medicines used to treat RLS; each mention needs one of CAUTION_WORDS nearby.
MEDICINES = [
    "pramipexole", "ropinirole", "rotigotine", "levodopa", "gabapentin", "pregabalin",
    "ferric carboxymaltose", "iron sucrose", "oxycodone", "opioid", "dipyridamole",
]
CAUTION_WORDS = [
    "side effect", "warn", "caution", "sleepiness", "dizziness", "augmentation", "suddenly",
    "withdrawal", "kidneys", "not responded", "does not respond", "risk", "do not treat yourself",
]
NEARBY = 400  # characters either side of a mention

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _prose(soup):
    prose = soup.select_one("main .prose")
    assert prose is not None
    for marker in prose.select("sup.cite"):
        marker.decompose()
    return prose


def _section(soup, heading_id):
    """The elements after the heading with this id, up to the next heading of the same or a higher level."""
    heading = soup.find(id=heading_id)
    assert heading is not None, f"no #{heading_id}"
    level = int(heading.name[1])
    elements = []
    for sibling in heading.find_next_siblings():
        if sibling.name in {f"h{n}" for n in range(1, level + 1)}:
            break
        elements.append(sibling)
    return heading, elements


def _text(elements) -> str:
    return normalise(" ".join(e.get_text(" ") for e in elements))


def _sentences(note) -> list[str]:
    """The sentences of an editor's note: each list item counts as its own sentence."""
    for heading in note.find_all(["h2", "h3", "h4", "h5", "h6"]):
        heading.decompose()
    blocks = note.find_all(["li", "p"])
    texts = [normalise(b.get_text(" ")) for b in blocks if not b.find(["li", "p"])]
    sentences = []
    for text in texts:
        sentences.extend(s for s in SENTENCE_END.split(text) if s.strip())
    return sentences


# --- The guide: banner, key facts, help -------------------------------------------


def test_the_guide_opens_with_key_facts_and_a_banner_about_the_clinics_text(site):
    prose = _prose(soup_of(site, GUIDE))
    first_heading = prose.find(["h2", "h3"])
    boxes = [b for b in prose.select("div.admonition") if first_heading in b.find_all_next(["h2", "h3"])]
    titles = [normalise(b.select_one(".admonition-title").get_text()) for b in boxes]
    assert any(t.startswith("Key facts") for t in titles), titles
    banner = next(b for b in boxes if "About this article" in normalise(b.get_text()))
    text = normalise(banner.get_text(" ")).lower()
    assert "written by truffles vein specialists" in text
    assert "exactly as it was written" in text
    assert "dated editor's note" in text
    key_facts = next(b for b in boxes if "Key facts" in normalise(b.get_text()))
    items = key_facts.find_all("li")
    assert 5 <= len(items) <= 7
    for li in items:
        assert li.find("a", href=True), f"each key fact links onward: {li.get_text()!r}"


def test_the_guide_has_a_when_to_get_help_section_before_its_sources(site):
    soup = soup_of(site, GUIDE)
    heading = soup.find("h2", id="when-to-get-help")
    assert heading is not None
    # After the clinic's article (its conclusion) and before the list of sources.
    assert heading in soup.find(id="conclusion").find_all_next("h2")
    sources = soup.find("section", class_="sources")
    assert sources in heading.find_all_next("section")
    toc = soup.find("nav", attrs={"aria-labelledby": "toc-title"})
    assert "#when-to-get-help" in [a["href"] for a in toc.find_all("a")]


@pytest.mark.parametrize("url", HELP_PAGES)
def test_thoughts_of_self_harm_and_a_clot_in_the_lung_are_urgent(site, url):
    soup = soup_of(site, url)
    _prose(soup)
    _, urgent = _section(soup, "get-help-now")
    urgent_text = _text(urgent).lower()
    assert "harming yourself" in urgent_text
    assert "emergency number" in urgent_text and "crisis line" in urgent_text
    for sign in ("chest pain", "sudden breathlessness", "coughing up blood", "clot in the lung"):
        assert sign in urgent_text, sign
    # Only generic help is named: no telephone numbers.
    assert not re.search(r"\d{3}", urgent_text), "name emergency help generically, never a number"
    heading, help_section = _section(soup, "when-to-get-help")
    assert soup.find(id="get-help-now") in [e for el in help_section for e in [el, *el.find_all(True)]]
    _, routine = _section(soup, "see-a-doctor")
    assert "harming yourself" not in _text(routine).lower(), "self-harm is not a routine reason"
    # The urgent part comes first.
    assert soup.find(id="see-a-doctor") in soup.find(id="get-help-now").find_all_next()


def test_no_page_lists_self_harm_as_a_routine_reason(site):
    for url in [*HELP_PAGES, "/causes/"]:
        text = normalise(_prose(soup_of(site, url)).get_text(" ")).lower()
        assert "anxious or having thoughts of harming yourself" not in text, url


# --- Editor's notes ----------------------------------------------------------------


@pytest.mark.parametrize("url", [GUIDE, *CAUSE_URLS])
def test_editors_notes_are_short_sentences(site, url):
    notes = _prose(soup_of(site, url)).select("aside.callout--editor")
    for note in notes:
        sentences = _sentences(note)
        words = [len(s.split()) for s in sentences]
        assert words, note
        assert max(words) <= 30, f"a sentence over 30 words: {sentences[words.index(max(words))]!r}"
        assert sum(words) / len(words) < 20, f"average {sum(words) / len(words):.1f} words: {sentences!r}"


def _note_after(soup, element):
    return element.find_next("aside", class_="callout--editor")


def test_the_vascular_claims_of_the_clinic_each_have_a_note(site):
    soup = soup_of(site, GUIDE)
    _prose(soup)
    for start in ("Expertise in Vascular Medicine:", "State-of-the-Art Technology:"):
        item = next(li for li in soup.select("main .prose li") if normalise(li.get_text()).startswith(start))
        note = item.find("aside", class_="callout--editor")
        assert note is not None, f"no note right after the bullet {start!r}"
        assert "2 December 2026" in normalise(note.find(["h3", "h4"]).get_text())
    conclusion = soup.find(id="conclusion").find_next("p")
    note = _note_after(soup, conclusion)
    assert note.find_previous("p") == conclusion or conclusion in note.find_all_previous("p")[:1]
    assert "no rls guideline that recommends vein procedures" in normalise(note.get_text(" ")).lower()
    vein = _note_after(soup, soup.find(id="treatment-vascular"))
    text = normalise(vein.get_text(" ")).lower()
    assert "we found no rls guideline that recommends vein procedures as a treatment for rls" in text
    assert "recommend other treatments first" not in text


def test_the_dopamine_agonist_note_is_complete_and_safe(site):
    soup = soup_of(site, GUIDE)
    _prose(soup)
    note = _note_after(soup, soup.find(id="treatment-dopaminergic"))
    text = normalise(note.get_text(" ")).lower()
    for words in ("conditional", "levodopa", "do not stop it suddenly", "talk to your doctor",
                  "75 ng/ml or less", "under 20%"):
        assert words in text, words
    hrefs = [a["href"] for a in note.find_all("a")]
    assert any(h.endswith("/causes/dopamine/") for h in hrefs)
    assert any(h.endswith("/treatments/") for h in hrefs)


def test_the_iron_dopamine_claims_have_a_note_pointing_to_the_iron_page(site):
    soup = soup_of(site, GUIDE)
    _prose(soup)
    for section_id in ("iron-deficiency", "treatment-iron"):
        heading = soup.find(id=section_id)
        note = _note_after(soup, heading)
        assert note.find_previous(["h2", "h3"], id=True) == heading, section_id
        assert any(a["href"].endswith("/causes/iron-deficiency/") for a in note.find_all("a")), section_id


def test_odds_are_not_called_likelihood(site):
    for url in (GUIDE, "/causes/neurological/"):
        text = normalise(_prose(soup_of(site, url)).get_text(" ")).lower()
        assert "four times as likely" not in text, url
        assert "times the odds" in text, url


# --- Medicines ---------------------------------------------------------------------


@pytest.mark.parametrize("url", MEDICINE_PAGES)
def test_every_medicine_named_has_a_caution_nearby(site, url):
    text = normalise(_prose(soup_of(site, url)).get_text(" ")).lower()
    missing = []
    for medicine in MEDICINES:
        for match in re.finditer(re.escape(medicine), text):
            window = text[max(0, match.start() - NEARBY): match.end() + NEARBY]
            if not any(word in window for word in CAUTION_WORDS):
                missing.append(f"{medicine}: …{text[max(0, match.start() - 60): match.end() + 60]}…")
    assert not missing, "medicines named without a caution nearby:\n" + "\n".join(missing)


# --- New pages ---------------------------------------------------------------------


@pytest.mark.parametrize("url", NEW_PAGES)
def test_the_new_pages_exist_and_invent_no_contact_details(site, url):
    soup = soup_of(site, url)
    assert soup.h1 and soup.select_one("main .prose").get_text(strip=True)
    text = soup.select_one("main .prose").get_text(" ")
    assert not soup.select('a[href^="tel:"], a[href^="mailto:"]')
    assert not re.search(r"\d[\d ()-]{6,}\d", text), "no phone-like numbers"
    for a in soup.select("main .prose a[href^='http']"):
        assert a["href"].startswith("https://trufflesveinspecialists.com/") or "doi.org" in a["href"] or a.find_parent("section", class_="sources"), a["href"]


def test_the_guide_links_the_treatments_overview_from_its_treatment_section_and_the_about_page(site):
    soup = soup_of(site, GUIDE)
    _, treatments = _section(soup, "treatments")
    links = [a["href"] for el in treatments for a in ([el] if el.name == "a" else el.find_all("a", href=True))]
    assert any(h.endswith("/treatments/") for h in links)
    main_links = [a["href"] for a in soup.select("main .prose a[href]")]
    assert any(h.endswith("/about/") for h in main_links)
    about_links = [a["href"] for a in soup_of(site, "/about/").select("main .prose a[href]")]
    assert any(h.endswith("/comment-policy/") for h in about_links)


def test_the_treatments_overview_is_a_medical_page_with_sources(site):
    soup = soup_of(site, "/treatments/")
    assert "Last reviewed:" in soup.select_one(".page-meta").get_text(" ")
    assert soup.find("section", class_="disclaimer") is not None
    assert soup.select("section.sources ol > li")
    for section_id in ("iron", "alpha-2-delta", "dopamine-medicines", "other-options"):
        _, elements = _section(soup, section_id)
        text = _text(elements)
        assert "Who" in text and "Main cautions" in text, section_id


def test_the_about_page_states_the_conflict_of_interest_and_how_to_report_errors(site):
    text = normalise(soup_of(site, "/about/").select_one("main .prose").get_text(" ")).lower()
    assert "conflict of interest" in text
    assert "treats vein problems" in text
    assert "trufflesveinspecialists.com" in text
    assert "report" in text


def test_the_comment_policy_covers_moderation_removal_and_advice(site):
    text = normalise(soup_of(site, "/comment-policy/").select_one("main .prose").get_text(" ")).lower()
    for words in ("before it is published", "testimonials", "personal medical advice", "we remove",
                  "emergency number"):
        assert words in text, words


@pytest.mark.parametrize("url", ["/", "/causes/", *CAUSE_URLS, "/treatments/"])
def test_every_medical_pages_disclaimer_names_the_emergencies(site, url):
    disclaimer = normalise(soup_of(site, url).find("section", class_="disclaimer").get_text(" ")).lower()
    assert "call your local emergency number" in disclaimer
    for sign in ("chest pain", "sudden breathlessness", "coughing up blood", "harming yourself"):
        assert sign in disclaimer, (url, sign)
