"""Schema versions: which ones 1C may ask for at ``init``, and what changes between them.

1C-Bitrix answers without a ``version`` in the 2.05 style (``CSaleExport::DEFAULT_VERSION``) and
advertises 2.09 when 1C names one. We write:

- 2.03–2.07: the 2.05 style (``БазоваяЕдиница`` with attributes, ``ЦенаЗаЕдиницу``);
- 2.08, 2.09: units as ``Единица`` + ``Коэффициент`` (what 1C itself writes since 2.08);
- 2.10: additionally, payments and shipments under ``ПодчиненныеДокументы``.

A version above 2.10 (a 3.x request) is answered as 2.10, the newest we write; one below 2.03 as
2.05. The answer of ``init`` names the version actually used, so 1C knows.
"""

from __future__ import annotations

SUPPORTED_VERSIONS = ("2.03", "2.04", "2.05", "2.06", "2.07", "2.08", "2.09", "2.10")
DEFAULT_VERSION = "2.05"
NEWEST = "2.10"


def _key(version: str) -> tuple[int, int]:
    major, _, minor = version.strip().partition(".")
    try:
        return int(major), int((minor or "0")[:2].ljust(2, "0"))
    except ValueError:
        return (0, 0)


def negotiate(requested: str | None, default: str = DEFAULT_VERSION) -> str:
    """The version to write for ``requested`` (``default`` when 1C names none or nonsense)."""
    if not requested or _key(requested) == (0, 0):
        return default if default in SUPPORTED_VERSIONS else DEFAULT_VERSION
    key = _key(requested)
    if key > _key(NEWEST):
        return NEWEST
    candidates = [v for v in SUPPORTED_VERSIONS if _key(v) <= key]
    return candidates[-1] if candidates else DEFAULT_VERSION


def new_units(version: str) -> bool:
    """``Единица``/``Коэффициент`` instead of ``БазоваяЕдиница`` attributes (2.08 and later)."""
    return _key(version) >= (2, 8)


def subordinate_documents(version: str) -> bool:
    """``ПодчиненныеДокументы`` inside the order (2.10)."""
    return _key(version) >= (2, 10)
