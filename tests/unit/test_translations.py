"""The Russian catalogue is complete, compiled, current, and used by the pages.

When a test here fails after you added a translatable string, run ``make messages``, translate the
new entries in ``b2b_cabinet/locale/ru/LC_MESSAGES/django.po`` (no fuzzy ones), and run it again
to compile the .mo.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command

import b2b_cabinet

PACKAGE = Path(b2b_cabinet.__file__).parent
LC_MESSAGES = PACKAGE / "locale" / "ru" / "LC_MESSAGES"
PO, MO = LC_MESSAGES / "django.po", LC_MESSAGES / "django.mo"
RU_PLURAL_FORMS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)

needs_gettext = pytest.mark.skipif(
    not (shutil.which("msgfmt") and shutil.which("xgettext") and shutil.which("msgmerge")),
    reason="GNU gettext tools are not installed",
)


# --- A tiny .po parser ----------------------------------------------------------------------------


@dataclass
class Entry:
    """One message of a .po file; ``msgstr`` maps the plural index (0 for singular) to the text."""

    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def where(self) -> str:
        return ", ".join(self.references) or "?"


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def _unquote(literal: str) -> str:
    # A PO string literal is a C string; Python's literal syntax decodes the same escapes.
    return ast.literal_eval(literal)


def parse_po(text: str) -> list[Entry]:
    """Entries of a .po file, the header (empty msgid) included."""
    entries: list[Entry] = []
    entry, target = Entry(), None

    def flush():
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            line = line[2:].strip()
            if not line or line.startswith("#"):
                continue
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        elif line.startswith("#:"):
            entry.references.extend(line[2:].split())
            continue
        elif line.startswith("#"):
            continue
        if line.startswith('"'):
            value = _unquote(line)
        else:
            match = _KEYWORD.match(line)
            assert match, f"cannot parse .po line: {raw!r}"
            keyword, index, literal = match.groups()
            if keyword in ("msgctxt", "msgid") and target and target.startswith("msgstr"):
                flush()  # entries not separated by a blank line
            target = f"msgstr[{index or 0}]" if keyword.startswith("msgstr") else keyword
            value = _unquote(literal)
            _set(entry, target, "")
        _set(entry, target, _get(entry, target) + value)
    flush()
    return entries


def _get(entry: Entry, target: str) -> str:
    if target.startswith("msgstr["):
        return entry.msgstr.get(int(target[7:-1]), "")
    return getattr(entry, target) or ""


def _set(entry: Entry, target: str, value: str) -> None:
    if target.startswith("msgstr["):
        entry.msgstr[int(target[7:-1])] = value
    else:
        setattr(entry, target, value)


def header_fields(entries: list[Entry]) -> dict[str, str]:
    header = next(e for e in entries if e.msgid == "" and e.msgctxt is None)
    lines = header.msgstr.get(0, "").splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


def problems(entries: list[Entry]) -> list[str]:
    """Untranslated or fuzzy messages, each with where it comes from."""
    found = []
    for entry in entries:
        if entry.obsolete or entry.msgid == "":
            continue
        label = f"{entry.msgid!r} ({entry.where})"
        if "fuzzy" in entry.flags:
            found.append(f"fuzzy: {label}")
        forms = range(3) if entry.msgid_plural is not None else range(1)
        if any(not entry.msgstr.get(i, "").strip() for i in forms):
            found.append(f"untranslated: {label}")
    return found


def catalog(mo_path: Path) -> dict:
    """The messages of a compiled .mo, for comparing content rather than bytes."""
    with open(mo_path, "rb") as fp:
        translations = gettext.GNUTranslations(fp)
    return {key: value for key, value in translations._catalog.items() if key != ""}


# --- The committed catalogue ----------------------------------------------------------------------


def test_the_po_parser_reads_plurals_flags_and_continuation_lines():
    entries = parse_po(
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n\n'
        "#: a.py:1\n#, fuzzy, python-format\n"
        'msgid "%(n)s day"\nmsgid_plural ""\n"%(n)s days"\n'
        'msgstr[0] "%(n)s день"\nmsgstr[1] "%(n)s дня"\nmsgstr[2] ""\n\n'
        '#~ msgid "gone"\n#~ msgstr "ушло"\n'
    )
    assert header_fields(entries) == {"Language": "ru"}
    plural = entries[1]
    assert (plural.msgid, plural.msgid_plural) == ("%(n)s day", "%(n)s days")
    assert plural.flags == {"fuzzy", "python-format"} and plural.references == ["a.py:1"]
    assert problems(entries) == ["fuzzy: '%(n)s day' (a.py:1)", "untranslated: '%(n)s day' (a.py:1)"]
    assert entries[2].obsolete


def test_the_russian_catalogue_has_russian_plural_forms():
    fields = header_fields(parse_po(PO.read_text(encoding="utf-8")))
    assert fields["Language"] == "ru"
    assert fields["Plural-Forms"] == RU_PLURAL_FORMS
    assert "charset=UTF-8" in fields["Content-Type"]


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = parse_po(PO.read_text(encoding="utf-8"))
    assert len(entries) > 100, "the catalogue looks truncated"
    assert problems(entries) == [], "run `make messages` and translate:\n" + "\n".join(problems(entries))


@needs_gettext
def test_the_compiled_mo_matches_the_po(tmp_path):
    # given the .po compiled afresh, as compilemessages does
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(PO)], check=True, capture_output=True)
    # then the shipped .mo holds the same messages (compared as a catalogue: msgfmt versions differ in bytes)
    assert MO.exists(), "django.mo is missing: run `make messages`"
    assert catalog(MO) == catalog(fresh), "django.mo is stale: run `make messages`"


@needs_gettext
def test_the_catalogue_is_current_with_the_source(tmp_path, monkeypatch):
    """Extract messages from a copy of the package, as `make messages` would, and check them all."""
    # given a copy of the package with its catalogue
    copy = tmp_path / "b2b_cabinet"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"))
    # when makemessages runs in it
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["ru"], no_obsolete=True, verbosity=0)
    # then no message is new, untranslated or fuzzy
    found = problems(parse_po((copy / "locale" / "ru" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")))
    assert found == [], "new or changed strings: run `make messages` and translate:\n" + "\n".join(found)


# --- The pages speak Russian ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_cabinet_login_page_is_russian_for_a_russian_browser(client, pages):
    # when a browser that prefers Russian opens the login page
    response = client.get("/cabinet/login/", HTTP_ACCEPT_LANGUAGE="ru")
    # then the page is in Russian
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ru">' in html
    assert "Вход в личный кабинет партнёра" in html
    assert "Войти" in html
    assert "Sign in" not in html


@pytest.mark.django_db
def test_the_cabinet_login_page_stays_english_for_an_english_browser(client, pages):
    response = client.get("/cabinet/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Sign in to the partner cabinet" in response.content.decode()


def test_plural_forms_follow_russian_grammar():
    from django.utils import translation

    with translation.override("ru"):
        forms = [translation.ngettext("%(days)s day", "%(days)s days", n) % {"days": n} for n in (1, 3, 5, 11, 21, 22)]
    assert forms == ["1 день", "3 дня", "5 дней", "11 дней", "21 день", "22 дня"]
