"""Text helpers: Russian transliteration for URL slugs."""

from django.utils.text import slugify

_RU = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya".split(),
        strict=True,
    )
)


def transliterate(text: str) -> str:
    """Latin spelling of Russian text (ГОСТ-like, readable in URLs); other characters pass through."""
    out = []
    for ch in text:
        low = ch.lower()
        if low in _RU:
            lat = "" if _RU[low] == "-" else _RU[low]
            out.append(lat.capitalize() if ch != low and lat else lat)
        else:
            out.append(ch)
    return "".join(out)


def slugify_ru(text: str, max_length: int = 200) -> str:
    """An ASCII slug for Russian or mixed text, e.g. «Автоматы 1P» → ``avtomaty-1p``."""
    return slugify(transliterate(text))[:max_length].strip("-") or "item"
