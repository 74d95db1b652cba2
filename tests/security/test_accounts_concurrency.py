"""On PostgreSQL, simultaneous clicks cannot use an invitation twice or remove the last owner."""

import threading

import pytest
from django.db import connection, connections

from b2b_cabinet.audit import Actor
from b2b_cabinet.exceptions import TeamError
from b2b_cabinet.models import Membership
from b2b_cabinet.team import accept_invitation, change_role, invite_member
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks and real concurrency)")


def run_together(*calls):
    """Run the calls in parallel threads, each on its own connection; return results or exceptions."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as error:  # the test inspects what each thread raised
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_simultaneous_accepts_of_one_invitation_make_one_membership():
    company = f.company("Альфа")
    owner = f.member(company, role="owner")
    tokens = []
    invite_member(Actor(owner), company, "irina@example.com", "buyer", lambda t: tokens.append(t) or "/x/")
    irina = f.user(email="irina@example.com")
    results = run_together(*(lambda: accept_invitation(tokens[0], user=irina) for _ in range(4)))
    assert sum(isinstance(r, Membership) for r in results) == 1
    assert all(isinstance(r, (Membership, TeamError)) for r in results)


def test_two_owners_demoting_each_other_at_once_leave_one_owner():
    company = f.company("Альфа")
    first, second = (Membership.objects.get(user=f.member(company, role="owner")) for _ in range(2))
    results = run_together(lambda: change_role(Actor(None), first, "buyer"),
                           lambda: change_role(Actor(None), second, "buyer"))
    assert Membership.objects.filter(company=company, role="owner", is_active=True).count() == 1
    assert sum(isinstance(r, TeamError) for r in results) == 1
