"""Authentication backend: partners sign in with their email, case-insensitively."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class EmailBackend(ModelBackend):
    """Accepts the email (or the username) in the ``username`` field.

    Several accounts sharing one email would make the login ambiguous, so that case fails closed.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        matches = Q(email__iexact=username) | Q(username__iexact=username)
        users = list(get_user_model()._default_manager.filter(matches)[:2])
        if len(users) != 1:
            # Run the hasher anyway so timing doesn't reveal whether the account exists.
            get_user_model()().set_password(password)
            return None
        user = users[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
