"""Domain errors raised by the package's use-cases.

Views translate them into messages or HTTP statuses; the 1C exchange turns them into ``failure``
answers. Each error carries a message fit to show to the person who can act on it.
"""


class B2BCabinetError(Exception):
    """Base class for every error the package raises on purpose."""


class ConfigurationError(B2BCabinetError):
    """The ``B2B_CABINET`` setting is malformed (unknown key, wrong type)."""


class NoCompanyError(B2BCabinetError):
    """The signed-in user belongs to no active company, so the cabinet has nothing to show."""


class InvalidStatusTransition(B2BCabinetError):
    """A status change that the order's status machine does not allow."""

    def __init__(self, current: str, target: str):
        # str() drops the enum wrapper of TextChoices members so the message reads "'new'".
        self.current = str(current)
        self.target = str(target)
        super().__init__(f"An order in status {self.current!r} cannot move to {self.target!r}.")


class TeamError(B2BCabinetError):
    """A team change the rules forbid (e.g. removing the last owner); the message is translated for the user."""


class InvitationError(TeamError):
    """An invitation that cannot be accepted: unknown, used, revoked, expired, or meant for another account."""


class OrderingError(B2BCabinetError):
    """A cart, checkout or order action that cannot be done; the message is translated for the buyer."""


class QuantityError(OrderingError):
    """A quantity that breaks the product's rules (minimum, step, pack size)."""


class OutOfStockError(OrderingError):
    """Not enough free stock to reserve for an order line; ``item`` is (product id, variant id, warehouse id)."""

    def __init__(self, message: str, item: tuple | None = None):
        super().__init__(message)
        self.item = item


class CreditLimitExceeded(OrderingError):
    """The credit policy blocks the order: the contract's limit would be exceeded."""


class CheckoutError(OrderingError):
    """The checkout form names something impossible (a foreign legal entity, a closed ship date…)."""


class FinanceError(B2BCabinetError):
    """A finance use-case refused: nothing to invoice, an invoice already covers it, a bad amount."""
