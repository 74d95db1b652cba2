"""The cabinet's permission matrix: which membership role may perform which action.

This module is the single source of truth; ``docs/cabinet.md`` shows the same table and
``tests/security/test_permission_matrix.py`` walks every cabinet URL against it.

========================  =====  =====  ==========  ======
action                    owner  buyer  accountant  viewer
========================  =====  =====  ==========  ======
dashboard.view              ✓      ✓        ✓         ✓
catalogue.view (+prices)    ✓      ✓        ✓         ✓
pricelist.download          ✓      ✓        ✓
orders.view                 ✓      ✓        ✓         ✓
orders.place (cart, …)      ✓      ✓
lists.manage                ✓      ✓
finance.view                ✓               ✓
finance.pay                 ✓               ✓
team.manage                 ✓
notifications.manage        ✓
========================  =====  =====  ==========  ======

A staff sales manager acting on behalf of a company gets the role ``ON_BEHALF_ROLE`` (buyer).

Cabinet views declare ``required_action``: one of the actions above, or one of the access levels
``PUBLIC`` (anyone, e.g. the sign-in and password-reset pages), ``SIGNED_IN`` (any signed-in user,
whatever their company, e.g. the company switcher) or ``STAFF`` (staff sales managers only).
"""

from __future__ import annotations

from enum import StrEnum

from b2b_cabinet.exceptions import B2BCabinetError
from b2b_cabinet.models import Membership

Role = Membership.Role


class Action(StrEnum):
    """Things a member may do in the cabinet, checked by :func:`can`."""

    VIEW_DASHBOARD = "dashboard.view"
    VIEW_CATALOGUE = "catalogue.view"
    DOWNLOAD_PRICE_LIST = "pricelist.download"
    VIEW_ORDERS = "orders.view"
    PLACE_ORDER = "orders.place"
    MANAGE_LISTS = "lists.manage"
    VIEW_FINANCE = "finance.view"
    PAY_INVOICES = "finance.pay"
    MANAGE_TEAM = "team.manage"
    MANAGE_NOTIFICATIONS = "notifications.manage"


class Access(StrEnum):
    """Access levels for cabinet views that do not act for a company with a role."""

    PUBLIC = "public"
    SIGNED_IN = "signed_in"
    STAFF = "staff"


PUBLIC, SIGNED_IN, STAFF = Access.PUBLIC, Access.SIGNED_IN, Access.STAFF

_ALL = frozenset(Role)

#: Action → the roles allowed to perform it. Every action must be listed.
MATRIX: dict[Action, frozenset[str]] = {
    Action.VIEW_DASHBOARD: _ALL,
    Action.VIEW_CATALOGUE: _ALL,
    # The whole price list as a file: commercial data, so not for read-only viewers.
    Action.DOWNLOAD_PRICE_LIST: frozenset({Role.OWNER, Role.BUYER, Role.ACCOUNTANT}),
    Action.VIEW_ORDERS: _ALL,
    Action.PLACE_ORDER: frozenset({Role.OWNER, Role.BUYER}),
    Action.MANAGE_LISTS: frozenset({Role.OWNER, Role.BUYER}),
    Action.VIEW_FINANCE: frozenset({Role.OWNER, Role.ACCOUNTANT}),
    Action.PAY_INVOICES: frozenset({Role.OWNER, Role.ACCOUNTANT}),
    Action.MANAGE_TEAM: frozenset({Role.OWNER}),
    Action.MANAGE_NOTIFICATIONS: frozenset({Role.OWNER}),
}

#: The role a staff sales manager has while acting on behalf of an assigned company.
ON_BEHALF_ROLE = Role.BUYER


class UnknownAction(B2BCabinetError, LookupError):
    """A permission check named an action the matrix does not list (a programming error)."""


def roles_for(action: Action | str) -> frozenset[str]:
    """The roles allowed to perform ``action``; raises :class:`UnknownAction` for anything unlisted."""
    try:
        return MATRIX[Action(action)]
    except (KeyError, ValueError):
        raise UnknownAction(f"No permission-matrix entry for action {action!r}.") from None


def can(membership: Membership | None, action: Action | str) -> bool:
    """Whether the holder of ``membership`` may perform ``action``.

    ``membership`` may be an unsaved one (a sales manager acting on behalf of a company). An
    inactive or missing membership may do nothing. An unknown action raises, even then, so a
    typo never silently denies or grants.
    """
    allowed = roles_for(action)
    if membership is None or not membership.is_active:
        return False
    return membership.role in allowed
