"""The ``sale/info`` answer: the site's reference book of order statuses, payment systems and delivery services.

1C-Bitrix answers ``mode=info`` with (PROTOCOL §2.7)::

    <Справочник>
      <Cтатусы><Элемент><Ид>N</Ид><Название>Принят</Название></Элемент>…</Cтатусы>
      <ПлатежныеСистемы>…</ПлатежныеСистемы>
      <СлужбыДоставки>…</СлужбыДоставки>
    </Справочник>

so that 1C can offer the site's status ids when its node settings map them to 1C's own. The
``Cтатусы`` element begins with a **Latin** ``C`` in Bitrix's language file, and 1C reads that
byte sequence: it is copied exactly (:data:`STATUSES`). The encoding rules are the ``query``
answer's (:func:`~.writer.write_orders`): windows-1251 with ``&#NNNN;`` references, or UTF-8 with
a BOM, the declaration always naming the one used.
"""

from __future__ import annotations

from collections.abc import Iterable

from .writer import BOM, ENCODINGS, _esc

ROOT = "Справочник"
#: Latin "C" + Cyrillic "татусы", byte for byte as 1C-Bitrix writes it.
STATUSES = "C" + "татусы"
PAYMENT_SYSTEMS = "ПлатежныеСистемы"
DELIVERY_SERVICES = "СлужбыДоставки"


def _items(out: list[str], tag: str, items: Iterable[tuple[str, str]]) -> None:
    out.append(f"  <{tag}>")
    for item_id, name in items:
        out.append(f"    <Элемент><Ид>{_esc(item_id)}</Ид><Название>{_esc(name)}</Название></Элемент>")
    out.append(f"  </{tag}>")


def write_reference(*, statuses: Iterable[tuple[str, str]], payment_systems: Iterable[tuple[str, str]] = (),
                    delivery_services: Iterable[tuple[str, str]] = (), encoding: str = "windows-1251") -> bytes:
    """The reference book as bytes; each item is ``(Ид, Название)``."""
    codec = ENCODINGS.get(encoding.lower())
    if codec is None:
        raise ValueError(f"unsupported encoding {encoding!r}; use windows-1251 or utf-8")
    label = "windows-1251" if codec == "cp1251" else "UTF-8"
    out = [f'<?xml version="1.0" encoding="{label}"?>', f"<{ROOT}>"]
    _items(out, STATUSES, statuses)
    _items(out, PAYMENT_SYSTEMS, payment_systems)
    _items(out, DELIVERY_SERVICES, delivery_services)
    out.append(f"</{ROOT}>")
    data = ("\n".join(out) + "\n").encode(codec, "xmlcharrefreplace")
    return BOM + data if codec == "utf-8" else data
