"""The Arabic catalogue is complete: every string translated, none fuzzy, placeholders kept.

`make messages` extracts the strings from code and templates into the catalogue; this test fails
until each of them has a reviewed Arabic translation.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib  # type: ignore[import-untyped]  # polib ships no type hints
import pytest
from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "alongside" / "locale" / "ar" / "LC_MESSAGES" / "django.po"
# %(name)s, %s, %d, %.2f ...; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[#0 +-]*\d*(?:\.\d+)?[sdifgeEGxXroc]")


def _entries() -> list[polib.POEntry]:
    assert CATALOGUE.exists(), f"{CATALOGUE} is missing: run `make messages`"
    return [entry for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete]


def _sample(entries: list[polib.POEntry]) -> str:
    return "\n".join(f"  {entry.msgid!r}" for entry in entries[:25]) + (
        f"\n  ... and {len(entries) - 25} more" if len(entries) > 25 else ""
    )


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


def test_the_arabic_catalogue_has_strings() -> None:
    assert len(_entries()) > 50


def test_every_arabic_string_is_translated() -> None:
    untranslated = [entry for entry in _entries() if not entry.translated() and not entry.fuzzy]
    assert not untranslated, f"{len(untranslated)} untranslated:\n{_sample(untranslated)}"


def test_no_arabic_translation_is_left_fuzzy() -> None:
    fuzzy = [entry for entry in _entries() if entry.fuzzy]
    assert not fuzzy, f"{len(fuzzy)} fuzzy (needs review):\n{_sample(fuzzy)}"


def test_arabic_translations_keep_every_placeholder() -> None:
    broken = []
    for entry in _entries():
        if "python-format" not in entry.flags:
            continue
        if entry.msgid_plural:
            # Arabic has six plural forms; each must keep the placeholders of the plural msgid
            # (the form for one may drop the count, as English "one item" does).
            wanted = set(_placeholders(entry.msgid_plural))
            for index, text in entry.msgstr_plural.items():
                if text and not set(_placeholders(text)) <= wanted:
                    broken.append(f"{entry.msgid_plural!r} form {index}: {text!r}")
                named = {p for p in wanted if "(" in p}
                if text and not named <= set(_placeholders(text)):
                    broken.append(f"{entry.msgid_plural!r} form {index} drops {named}: {text!r}")
        elif entry.msgstr and _placeholders(entry.msgid) != _placeholders(entry.msgstr):
            broken.append(f"{entry.msgid!r} → {entry.msgstr!r}")
    assert not broken, "placeholders changed:\n" + "\n".join(broken)


def test_the_compiled_catalogue_is_the_one_django_uses() -> None:
    """`compile_translations` turned the catalogue into the .mo that Django reads."""
    translated = [e for e in _entries() if e.translated() and not e.msgid_plural and not e.msgctxt]
    if not translated:
        pytest.fail("no translated string to check yet")
    entry = translated[0]
    with translation.override("ar"):
        assert translation.gettext(entry.msgid) == entry.msgstr


def test_the_catalogue_header_is_reviewed_and_has_arabic_plural_forms() -> None:
    """A fuzzy header is skipped by gettext tools, and with it Arabic's six plural forms."""
    _entries()
    catalogue = polib.pofile(str(CATALOGUE))
    assert not catalogue.metadata_is_fuzzy
    assert catalogue.metadata.get("Language") == "ar"
    assert "nplurals=6" in catalogue.metadata.get("Plural-Forms", "")
