"""The reconciliation statement (акт сверки взаимных расчётов) for any period, built from the ledger.

Seen from the seller's books: the opening balance at the start of the period, every ledger
document in date order (debit: the buyer's debt grows — invoices or shipments; credit: payments),
turnovers, and the closing balance. Positive balances are the buyer's debt, negative a prepayment.

Where 1C sent a mutual-settlement figure dated inside the period, a "correction to 1C's figures" row
brings the running balance to it, so the closing balance is the same one the dashboard shows.
Rendering lives in :mod:`.statement_pdf` and :mod:`.statement_xlsx`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_noop

from b2b_cabinet.models import MutualSettlement

from . import ledger
from .invoices import seller_requisites
from .ledger import in_document_language

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class StatementRow:
    """One document line: seller-side debit or credit."""

    date: datetime.date
    document: str
    debit: Decimal
    credit: Decimal


@dataclass
class Statement:
    """An акт сверки ready to render."""

    company: object
    contract: object
    seller: dict
    buyer: dict
    date_from: datetime.date
    date_to: datetime.date
    opening: Decimal = ZERO
    rows: list[StatementRow] = field(default_factory=list)

    @property
    def debit_turnover(self) -> Decimal:
        return sum((r.debit for r in self.rows), ZERO)

    @property
    def credit_turnover(self) -> Decimal:
        return sum((r.credit for r in self.rows), ZERO)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit_turnover - self.credit_turnover

    @property
    def filename(self) -> str:
        return f"akt-sverki-{self.date_from:%Y%m%d}-{self.date_to:%Y%m%d}"


def _buyer(company, contract) -> dict:
    entity = (contract.legal_entity if contract is not None and contract.legal_entity_id else None) or \
        company.legal_entities.order_by("-is_default", "pk").first()
    if entity is None:
        return {"name": company.name, "inn": "", "kpp": ""}
    return {"name": entity.name, "inn": entity.inn, "kpp": entity.kpp}


def build_statement(company, date_from: datetime.date, date_to: datetime.date, contract=None,
                    site=None) -> Statement:
    """The акт сверки of ``company`` (one ``contract``, or all of them) from ``date_from`` to ``date_to``."""
    if date_to < date_from:
        date_from, date_to = date_to, date_from
    statement = Statement(company, contract, seller_requisites(site), _buyer(company, contract), date_from, date_to)
    statement.opening = ledger.balance(company, contract, on=date_from - datetime.timedelta(days=1))
    movements = (ledger.entries(company, contract).filter(date__gte=date_from, date__lte=date_to)
                 .order_by("date", "pk").values_list("date", "document", "debit", "credit"))
    snapshots = MutualSettlement.objects.for_company(company).filter(as_of__gte=date_from, as_of__lte=date_to)
    snapshots = snapshots.filter(contract=contract) if contract is not None else snapshots.filter(contract__isnull=True)
    pending = list(snapshots.order_by("as_of").values_list("as_of", "balance"))
    running, rows = statement.opening, []
    for day, document, debit, credit in movements:
        while pending and pending[0][0] < day:
            running = _correct(rows, running, *pending.pop(0))
        rows.append(StatementRow(day, document, debit, credit))
        running += debit - credit
    for as_of, figure in pending:
        running = _correct(rows, running, as_of, figure)
    statement.rows = rows
    return statement


def _correct(rows: list[StatementRow], running: Decimal, as_of: datetime.date, figure: Decimal) -> Decimal:
    """Append the row that brings the running balance to 1C's figure; return the new running balance."""
    diff = figure - running
    if diff:
        document = in_document_language(gettext_noop("Correction to 1C's mutual settlements"))
        rows.append(StatementRow(as_of, document, max(diff, ZERO), max(-diff, ZERO)))
    return figure
