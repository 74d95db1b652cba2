"""Currency conversion for one pricing context: the contract's fixed rate, else the latest daily rate."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.exceptions import B2BCabinetError
from b2b_cabinet.models import CurrencyRate


class MissingRate(B2BCabinetError):
    """No rate is known for a currency on the pricing date."""


@dataclass(frozen=True)
class Rate:
    """Base-currency units per one unit of ``currency``, and where that figure came from."""

    currency: str
    per_unit: Decimal
    source: str  # "base", "contract" or "daily"
    date: datetime.date | None = None


class RateBook:
    """Rates needed by one context, loaded once per currency in a single query each time new ones are asked for."""

    def __init__(self, on: datetime.date, contract_currency: str, fixed_rate: Decimal | None):
        self.on = on
        self.base = b2b_settings.DEFAULT_CURRENCY
        self.contract_currency = contract_currency
        self._rates: dict[str, Rate] = {self.base: Rate(self.base, Decimal(1), "base")}
        if fixed_rate and contract_currency != self.base:
            self._rates[contract_currency] = Rate(contract_currency, fixed_rate, "contract")

    def preload(self, currencies) -> None:
        """Fetch the latest rate on or before the date for every currency not known yet (one query)."""
        wanted = {c for c in currencies if c and c not in self._rates}
        if not wanted:
            return
        rows = (
            CurrencyRate.objects.filter(currency__in=wanted, date__lte=self.on)
            .order_by("currency", "-date")
            .values_list("currency", "date", "rate", "nominal")
        )
        for currency, date, rate, nominal in rows:
            if currency not in self._rates:
                self._rates[currency] = Rate(currency, rate / nominal, "daily", date)

    def rate(self, currency: str) -> Rate:
        """The rate for ``currency``; raises :class:`MissingRate` if there is none."""
        if currency not in self._rates:
            self.preload([currency])
        try:
            return self._rates[currency]
        except KeyError:
            raise MissingRate(f"No exchange rate for {currency} on or before {self.on:%d.%m.%Y}.") from None

    def to_contract(self, amount: Decimal, currency: str) -> Decimal:
        """``amount`` in ``currency`` expressed in the contract currency (not rounded)."""
        if currency == self.contract_currency:
            return amount
        base = amount * self.rate(currency).per_unit
        if self.contract_currency == self.base:
            return base
        return base / self.rate(self.contract_currency).per_unit

    @property
    def contract_rate(self) -> Rate:
        """The rate of the contract currency (``per_unit`` 1 for the base currency)."""
        return self.rate(self.contract_currency)
