"""The credit policy applied at checkout: ``off``, ``warn`` or ``block`` (setting ``CREDIT_POLICY``).

The check compares the contract's ``credit_limit`` with what the company would owe after the order:
``outstanding_debt(contract) + order total``. Until the finance issue fills it in,
:func:`outstanding_debt` returns 0; point ``OUTSTANDING_DEBT_FUNCTION`` at your own function
``(contract) -> Decimal`` to use real debt. A limit of 0 means "no credit limit set" and is not checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.exceptions import ConfigurationError, CreditLimitExceeded

POLICIES = ("off", "warn", "block")


def outstanding_debt(contract) -> Decimal:
    """What the company owes under ``contract`` (0 until the finance issue provides ledger entries)."""
    return Decimal(0)


@dataclass(frozen=True)
class CreditDecision:
    """The outcome of the check: whether the order may go ahead, and a warning to show if any."""

    allowed: bool = True
    warning: str = ""
    debt: Decimal = Decimal(0)
    limit: Decimal = Decimal(0)


def check_credit(contract, amount: Decimal, policy: str | None = None) -> CreditDecision:
    """Apply the credit policy to an order of ``amount`` under ``contract``.

    ``block`` raises :class:`~b2b_cabinet.exceptions.CreditLimitExceeded`; ``warn`` returns a
    decision with a ``warning``; ``off`` (the default) always allows.
    """
    policy = policy or b2b_settings.CREDIT_POLICY
    if policy not in POLICIES:
        raise ConfigurationError(f"B2B_CABINET['CREDIT_POLICY'] must be one of {POLICIES}, not {policy!r}.")
    if policy == "off" or contract is None or not contract.credit_limit:
        return CreditDecision()
    debt = Decimal(import_string(b2b_settings.OUTSTANDING_DEBT_FUNCTION)(contract))
    if debt + amount <= contract.credit_limit:
        return CreditDecision(debt=debt, limit=contract.credit_limit)
    message = _(
        "This order (%(amount)s) and the current debt (%(debt)s) exceed the credit limit of %(limit)s "
        "under contract %(contract)s."
    ) % {"amount": amount, "debt": debt, "limit": contract.credit_limit, "contract": contract.number}
    if policy == "block":
        raise CreditLimitExceeded(message)
    return CreditDecision(allowed=True, warning=message, debt=debt, limit=contract.credit_limit)
