"""Lenient parsing of the scalar values 1C writes: numbers, dates, booleans, currencies.

Each parser raises ``ValueError`` on text it cannot read; the element walkers turn that into a
:class:`~b2b_cabinet.sync.errors.CommerceMLError` that knows the file, line and 1C object.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

# Thousands separators 1C and spreadsheets put in numbers: space, no-break and narrow no-break space.
_SEPARATORS = str.maketrans({" ": None, "\u00a0": None, "\u202f": None, "\u2009": None, ",": "."})


def to_decimal(text: str) -> Decimal:
    """Read ``"1.0000"``, ``"231.7400"``, ``"-1"``, ``"1 719,50"`` as a finite ``Decimal``.

    The fast path is ``Decimal(text)`` (1C writes plain ``.``-decimals); only when that fails are
    spaces removed and a comma taken as the decimal mark. ``NaN``/``Infinity`` are rejected.
    """
    try:
        value = Decimal(text)
    except InvalidOperation:
        cleaned = text.translate(_SEPARATORS)
        try:
            value = Decimal(cleaned) if cleaned else None
        except InvalidOperation:
            value = None
        if value is None:
            raise ValueError(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a number")
    return value


_DATE = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{1,2})(?::(?P<S>\d{1,2})(?:\.\d+)?)?)?\Z"
)
_DATE_RU = re.compile(
    r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})"
    r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{1,2})(?::(?P<S>\d{1,2}))?)?\Z"
)


def to_datetime(text: str) -> datetime | None:
    """Read a 1C date or date-time; None for empty text and 1C's empty dates.

    Accepted: ``2014-06-01``, ``2014-06-01T0:36:33`` (1C does not always pad the hour),
    ``2014-06-01 00:36``, ``11.02.2021`` and ``11.02.2021 18:45:21`` (Bitrix requisites). The result
    is naive: 1C writes local time without an offset. ``0001-01-01…`` (1C's "no date") is None.
    """
    text = text.strip()
    if not text or text == "T":
        return None
    match = _DATE.match(text) or _DATE_RU.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a date")
    parts = match.groupdict()
    if parts["y"] == "0001":
        return None
    try:
        return datetime(
            int(parts["y"]),
            int(parts["m"]),
            int(parts["d"]),
            int(parts["H"] or 0),
            int(parts["M"] or 0),
            int(parts["S"] or 0),
        )
    except ValueError:
        raise ValueError(f"{text!r} is not a date") from None


#: Numbers whose ``str(Decimal(text))`` is the text itself: no leading zeros, no exponent, at
#: most six decimals (``str`` switches to an exponent below 1E-6). Most of a file's numbers.
_AS_WRITTEN = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]{1,6})?").fullmatch


def plain_number(text: str) -> str | None:
    """``str(Decimal(text))`` for a plain finite number, else None (the full reader decides)."""
    if _AS_WRITTEN(text):
        return text
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return str(value) if value.is_finite() else None


#: ``КоличествоНаСкладе`` as written -> :func:`stock_number` of it: a file repeats the same few
#: quantities (``"0"``, ``"12"``) on every line of stock. Look it up here first.
STOCK_NUMBERS: dict[str | None, str] = {}


def stock_number(raw: str | None) -> str | None:
    """A stock quantity attribute as the offer reader reads it ("0" when empty), as
    :func:`plain_number` text, or None; remembered in :data:`STOCK_NUMBERS`."""
    text = (raw or "").strip()
    value = plain_number(text) if text else "0"
    if value is not None:
        if len(STOCK_NUMBERS) >= 4096:
            STOCK_NUMBERS.clear()
        STOCK_NUMBERS[raw] = value
    return value


_TRUE = frozenset({"true", "1", "да", "yes"})
_FALSE = frozenset({"false", "0", "нет", "no", ""})


def to_bool(text: str | None) -> bool:
    """Read ``ПереключательТип`` (``true``/``false``); anything unrecognised counts as False.

    Flags are read leniently on purpose: refusing a whole catalogue because a deletion mark says
    ``True`` would help nobody.
    """
    return bool(text) and text.strip().lower() in _TRUE


def to_optional_bool(text: str | None) -> bool | None:
    """Like :func:`to_bool` but None when the element is absent (``text is None``)."""
    if text is None:
        return None
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


# Currency spellings seen in real files and in Bitrix's importer; ISO numeric codes of the
# currencies a Russian-speaking B2B shop meets. Anything else is upper-cased as is.
_CURRENCIES = {
    "руб": "RUB",
    "руб.": "RUB",
    "рубль": "RUB",
    "р.": "RUB",
    "₽": "RUB",
    "rur": "RUB",
    "643": "RUB",
    "810": "RUB",
    "грн": "UAH",
    "грн.": "UAH",
    "980": "UAH",
    "тенге": "KZT",
    "тг": "KZT",
    "398": "KZT",
    "бел. руб.": "BYN",
    "933": "BYN",
    "840": "USD",
    "$": "USD",
    "978": "EUR",
    "€": "EUR",
    "156": "CNY",
}
_currency_cache: dict[str, str] = {}


def normalise_currency(text: str | None) -> str:
    """Map 1C's currency text to an ISO 4217 letter code (``"руб"`` → ``"RUB"``).

    A file repeats the same few spellings thousands of times, hence the memo.
    """
    if not text:
        return ""
    try:
        return _currency_cache[text]
    except KeyError:
        pass
    key = text.strip()
    code = _CURRENCIES.get(key.lower(), key.upper())
    if len(_currency_cache) < 256:
        _currency_cache[text] = code
    return code
