"""The permission matrix: complete, closed to unknown actions, and honoured by ``can``."""

import pytest
from django.views import View

from b2b_cabinet.cabinet.company import RoleRequiredMixin
from b2b_cabinet.models import Membership
from b2b_cabinet.permissions import MATRIX, ON_BEHALF_ROLE, Action, UnknownAction, can

Role = Membership.Role


def as_role(role, is_active=True):
    return Membership(role=role, is_active=is_active)


def test_every_action_has_a_row_in_the_matrix():
    assert set(MATRIX) == set(Action)


def test_only_the_owner_manages_the_team():
    assert [r for r in Role if can(as_role(r), Action.MANAGE_TEAM)] == [Role.OWNER]


def test_an_accountant_sees_finance_but_cannot_order():
    accountant = as_role(Role.ACCOUNTANT)
    assert can(accountant, Action.VIEW_FINANCE) and can(accountant, Action.PAY_INVOICES)
    assert not can(accountant, Action.PLACE_ORDER)


def test_a_viewer_only_reads():
    viewer = as_role(Role.VIEWER)
    allowed = {a for a in Action if can(viewer, a)}
    assert allowed == {Action.VIEW_DASHBOARD, Action.VIEW_CATALOGUE, Action.VIEW_ORDERS}


def test_a_sales_manager_on_behalf_orders_like_a_buyer_but_does_not_manage_the_team():
    assert ON_BEHALF_ROLE == Role.BUYER
    assert can(as_role(ON_BEHALF_ROLE), Action.PLACE_ORDER)
    assert not can(as_role(ON_BEHALF_ROLE), Action.MANAGE_TEAM)


def test_an_inactive_or_missing_membership_may_do_nothing():
    assert not can(as_role(Role.OWNER, is_active=False), Action.VIEW_DASHBOARD)
    assert not can(None, Action.VIEW_DASHBOARD)


def test_an_unknown_action_is_an_error_not_a_denial():
    with pytest.raises(UnknownAction):
        can(as_role(Role.OWNER), "orders.delete_everything")
    with pytest.raises(UnknownAction):
        can(None, "typo")


def test_a_view_declaring_an_unknown_action_fails_at_import_time():
    with pytest.raises(UnknownAction):
        type("Broken", (RoleRequiredMixin, View), {"required_action": "orders.plac"})
