"""The credit policy applied at checkout: ``off``, ``warn`` or ``block``.

The policy is the contract's ``credit_policy``, else the setting ``CREDIT_POLICY``. The check compares
the contract's ``credit_limit`` with what the company would owe after the order:
``outstanding_debt(contract) + order total``, the debt coming from the finance ledger
(``OUTSTANDING_DEBT_FUNCTION``, by default :func:`b2b_cabinet.finance.ledger.outstanding_debt`).
A limit of 0 means "no credit limit set" and is not checked.

Independently, a contract may hold new orders while any of its debt is overdue
(``Contract.block_when_overdue``, else ``CREDIT_BLOCK_WHEN_OVERDUE``): a soft block, refused under
``block`` and ``off`` alike and only warned about under ``warn``.
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
    """What the company owes under ``contract``: the finance ledger's figure."""
    from b2b_cabinet.finance.ledger import outstanding_debt as ledger_debt

    return ledger_debt(contract)


def overdue_debt(contract) -> Decimal:
    """What is past due under ``contract``."""
    from b2b_cabinet.finance.ledger import ageing

    return ageing(contract.company, contract).overdue


def _holds_when_overdue(contract) -> bool:
    if contract.block_when_overdue is not None:
        return contract.block_when_overdue
    return b2b_settings.CREDIT_BLOCK_WHEN_OVERDUE


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
    policy = policy or (contract.credit_policy if contract is not None else "") or b2b_settings.CREDIT_POLICY
    if policy not in POLICIES:
        raise ConfigurationError(f"B2B_CABINET['CREDIT_POLICY'] must be one of {POLICIES}, not {policy!r}.")
    if contract is not None and _holds_when_overdue(contract):
        overdue = overdue_debt(contract)
        if overdue > 0:
            message = _("Contract %(contract)s has overdue debt of %(overdue)s: please pay it before ordering.") % {
                "contract": contract.number, "overdue": overdue}
            if policy != "warn":
                raise CreditLimitExceeded(message)
            return CreditDecision(allowed=True, warning=message, limit=contract.credit_limit)
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
