"""``record_settlement``: 1C's figure of mutual settlements (взаиморасчёты), the source of truth for debt.

The sale exchange calls it with the balance 1C reports for a contract on a date; from then on the
portal's balance is that figure plus its own ledger movements dated later. Recording the same day
again replaces the figure (1C re-sends corrected balances).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from b2b_cabinet.models import MutualSettlement


def record_settlement(*, company, contract=None, as_of: datetime.date, balance: Decimal,
                      overdue: Decimal | None = None, node=None) -> MutualSettlement:
    """Store 1C's balance for ``contract`` (or the whole ``company``) at the end of ``as_of``."""
    settlement, _created = MutualSettlement.objects.update_or_create(
        company=company, contract=contract, as_of=as_of,
        defaults={"balance": Decimal(balance), "overdue": overdue, "node": node},
    )
    return settlement
