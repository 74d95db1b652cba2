"""What the workers share: their read-only inputs (:data:`STATE`, set before forking) and their result."""

from __future__ import annotations

from dataclasses import dataclass, field

from b2b_cabinet.sync.offer_batch import OfferBatch, OfferPlan


@dataclass
class WorkerState:
    """Read-only inputs of the workers, set before forking."""

    known: dict[str, bytes] = field(default_factory=dict)  # 1C Ид -> stored digest
    groups: dict[str, int] = field(default_factory=dict)  # group Ид -> category pk
    properties: dict[str, str] = field(default_factory=dict)  # property Ид -> name
    values: dict[str, str] = field(default_factory=dict)  # ИдЗначения -> value text
    transit: tuple[str, str, str] = ("", "", "")  # requisite names: quantity, date, warehouse Ид
    offer_plan: OfferPlan | None = None  # big offers files: build final rows here (see offer_batch)


STATE = WorkerState()


@dataclass
class ChunkResult:
    """Rows of the changed records of one chunk and the Ид of every record."""

    rows: list[tuple] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    unchanged: int = 0
    batch: OfferBatch | None = None  # final rows of plain offers (not in ``rows``)
