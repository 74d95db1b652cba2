"""The debt ledger: posting entries, the balance, overdue ageing and available credit.

Debit entries come from invoices or from shipments — whichever the contract bills on
(``Contract.debit_on``, else ``FINANCE_DEBIT_ON``) — and payments are credits. The balance of a
contract is ``Σ debit − Σ credit``; positive means the buyer owes.

Where 1C sends mutual-settlement figures (``MutualSettlement``), 1C is the source of truth: the
balance is the latest snapshot's ``balance`` plus the portal's movements dated after it.

Ageing applies all credits to the oldest debits first (FIFO by due date), then sorts whatever is
left unpaid and past due into 0–30, 31–60, 61–90 and 90+ days overdue.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.models import Contract, LedgerEntry, MutualSettlement

ZERO = Decimal("0.00")
BUCKETS = ((0, 30), (31, 60), (61, 90), (91, None))
BUCKET_LABELS = ("0–30", "31–60", "61–90", "90+")


def debit_basis(contract: Contract | None) -> str:
    """``"invoice"`` or ``"shipment"``: which document makes the buyer's debt under ``contract``."""
    return (contract.debit_on if contract is not None and contract.debit_on else b2b_settings.FINANCE_DEBIT_ON)


def in_document_language(message: str, **args) -> str:
    """``message`` (a gettext msgid) translated into ``DOCUMENT_LANGUAGE``: ledger rows are printed on the
    акт сверки, so their wording must not depend on who happened to be signed in when they were posted."""
    from django.utils.translation import gettext, override

    with override(b2b_settings.DOCUMENT_LANGUAGE or None):
        return gettext(message) % args


def post(*, company, contract, date, kind: str, document: str, debit=ZERO, credit=ZERO, due_date=None,
         **links) -> LedgerEntry | None:
    """Append one entry unless the same document was posted already (then return None). Zero amounts post nothing."""
    if not debit and not credit:
        return None
    if links and LedgerEntry.objects.filter(kind=kind, **links).exists():
        return None
    return LedgerEntry.objects.create(company=company, contract=contract, date=date, kind=kind, document=document[:255],
                                      debit=debit, credit=credit, due_date=due_date, **links)


def entries(company, contract=None):
    """The ledger of ``company`` (one contract, or all when ``contract`` is None)."""
    qs = LedgerEntry.objects.for_company(company)
    return qs.filter(contract=contract) if contract is not None else qs


def _sums(qs) -> Decimal:
    totals = qs.aggregate(d=Sum("debit"), c=Sum("credit"))
    return (totals["d"] or ZERO) - (totals["c"] or ZERO)


def latest_settlement(company, contract=None, on: datetime.date | None = None) -> MutualSettlement | None:
    """1C's most recent settlement figure for the contract (or the company), up to ``on``."""
    qs = MutualSettlement.objects.for_company(company)
    qs = qs.filter(contract=contract) if contract is not None else qs.filter(contract__isnull=True)
    if on is not None:
        qs = qs.filter(as_of__lte=on)
    return qs.order_by("-as_of", "-pk").first()


def balance(company, contract=None, on: datetime.date | None = None) -> Decimal:
    """The debt at the end of ``on`` (today when None): 1C's snapshot if any, plus later ledger movements."""
    qs = entries(company, contract)
    if on is not None:
        qs = qs.filter(date__lte=on)
    snapshot = latest_settlement(company, contract, on)
    if snapshot is not None:
        return snapshot.balance + _sums(qs.filter(date__gt=snapshot.as_of))
    return _sums(qs)


def outstanding_debt(contract) -> Decimal:
    """What the company owes under ``contract`` (the credit policy's ``OUTSTANDING_DEBT_FUNCTION``)."""
    return max(balance(contract.company, contract), ZERO)


@dataclass
class Ageing:
    """Debt split by how long it has been overdue, plus what is not yet due."""

    not_due: Decimal = ZERO
    buckets: list[Decimal] = field(default_factory=lambda: [ZERO] * len(BUCKETS))
    next_due: list[tuple[datetime.date, Decimal, str]] = field(default_factory=list)

    @property
    def overdue(self) -> Decimal:
        return sum(self.buckets, ZERO)

    @property
    def total(self) -> Decimal:
        return self.not_due + self.overdue

    @property
    def rows(self) -> list[tuple[str, Decimal]]:
        return list(zip(BUCKET_LABELS, self.buckets, strict=True))


def bucket_of(days_overdue: int) -> int:
    """Index of the age bucket for a debt ``days_overdue`` days past due (≥ 1)."""
    for index, (_low, high) in enumerate(BUCKETS):
        if high is None or days_overdue <= high:
            return index
    return len(BUCKETS) - 1


def age(debits: list[tuple[datetime.date, Decimal, str]], credits: Decimal, today: datetime.date) -> Ageing:
    """FIFO ageing: ``debits`` are (due date, amount, document); ``credits`` the total paid. Pure function."""
    result = Ageing()
    left = credits
    for due, amount, document in sorted(debits, key=lambda d: (d[0], d[2])):
        paid = min(left, amount)
        left -= paid
        open_amount = amount - paid
        if open_amount <= 0:
            continue
        if due >= today:
            result.not_due += open_amount
            result.next_due.append((due, open_amount, document))
        else:
            result.buckets[bucket_of((today - due).days)] += open_amount
    return result


def ageing(company, contract=None, today: datetime.date | None = None) -> Ageing:
    """Age the contract's (or company's) open debit entries as of ``today``."""
    today = today or timezone.localdate()
    qs = entries(company, contract)
    debits = [(e.due_date or e.date, e.debit, e.document) for e in qs.filter(debit__gt=0).only(
        "date", "due_date", "debit", "document")]
    credits = qs.aggregate(c=Sum("credit"))["c"] or ZERO
    return age(debits, credits, today)


@dataclass(frozen=True)
class Position:
    """The dashboard's figures for one contract."""

    contract: Contract | None
    debt: Decimal
    ageing: Ageing
    credit_limit: Decimal

    @property
    def available_credit(self) -> Decimal | None:
        """Unused credit; None when the contract has no limit."""
        if not self.credit_limit:
            return None
        return max(self.credit_limit - max(self.debt, ZERO), ZERO)


def position(company, contract=None, today: datetime.date | None = None) -> Position:
    """Debt, ageing and available credit of ``contract`` (or the company's default contract)."""
    contract = contract or company.default_contract
    return Position(contract, balance(company, contract), ageing(company, contract, today),
                    contract.credit_limit if contract else ZERO)
