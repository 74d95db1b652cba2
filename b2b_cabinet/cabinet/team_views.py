"""Team management by the company's owner, and accepting an invitation.

Every lookup goes through ``for_company(request.company)``, so another company's members and
invitations answer 404. The rules themselves live in ``b2b_cabinet.team``.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from b2b_cabinet import team
from b2b_cabinet.audit import Actor
from b2b_cabinet.exceptions import TeamError
from b2b_cabinet.models import Invitation, Membership
from b2b_cabinet.permissions import PUBLIC, Action

from .company import RoleRequiredMixin, switch_company
from .forms import AcceptInvitationForm, InviteForm, RoleForm
from .views import CabinetPageContextMixin


class TeamView(RoleRequiredMixin, CabinetPageContextMixin, TemplateView):
    """Members with their roles, pending invitations, and the invitation form."""

    required_action = Action.MANAGE_TEAM
    template_name = "b2b_cabinet/cabinet/team.html"

    def get_context_data(self, **kwargs):
        company = self.request.company
        members = Membership.objects.for_company(company).select_related("user").order_by("-is_active", "user__email")
        kwargs.setdefault("invite_form", InviteForm())
        return super().get_context_data(
            company=company,
            members=members,
            invitations=Invitation.objects.for_company(company).pending(),
            roles=Membership.Role.choices,
            **kwargs,
        )


class TeamActionView(RoleRequiredMixin, View):
    """Base for the owner's POST-only team actions: run, show the outcome as a message, back to the team."""

    required_action = Action.MANAGE_TEAM
    http_method_names = ["post"]

    def back(self):
        return HttpResponseRedirect(self.request.cabinet_page.cabinet_url("team"))

    def run(self, action, *args, success: str):
        try:
            action(Actor.from_request(self.request), *args)
        except TeamError as error:
            messages.error(self.request, str(error))
        else:
            messages.success(self.request, success)
        return self.back()


class InviteView(TeamActionView):
    """Send an invitation by email."""

    def post(self, request, *args, **kwargs):
        form = InviteForm(request.POST)
        if not form.is_valid():
            view = TeamView()
            view.setup(request)
            return view.render_to_response(view.get_context_data(invite_form=form))
        page = request.cabinet_page
        email, role = form.cleaned_data["email"], form.cleaned_data["role"]

        def accept_url(token):
            return request.build_absolute_uri(page.cabinet_url("invitation_accept", token=token))

        return self.run(
            lambda actor: team.invite_member(actor, request.company, email, role, accept_url),
            success=_("Invitation sent to %(email)s.") % {"email": email},
        )


class MemberRoleView(TeamActionView):
    """Change a member's role."""

    def post(self, request, pk):
        membership = get_object_or_404(Membership.objects.for_company(request.company), pk=pk)
        form = RoleForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a role."))
            return self.back()
        return self.run(team.change_role, membership, form.cleaned_data["role"], success=_("Role changed."))


class MemberDeactivateView(TeamActionView):
    """Close a member's access to the company."""

    def post(self, request, pk):
        membership = get_object_or_404(Membership.objects.for_company(request.company), pk=pk)
        return self.run(team.deactivate_member, membership, success=_("Member deactivated."))


class InvitationRevokeView(TeamActionView):
    """Make a pending invitation unusable."""

    def post(self, request, pk):
        invitation = get_object_or_404(Invitation.objects.for_company(request.company), pk=pk)
        return self.run(team.revoke_invitation, invitation, success=_("Invitation revoked."))


class AcceptInvitationView(RoleRequiredMixin, View):
    """The link from the invitation email.

    A new address chooses a password (the account is created); an existing account signs in first
    and confirms. Someone signed in as another person is told to sign out: the invitation joins
    only the account of the address it was sent to.
    """

    required_action = PUBLIC
    template = "b2b_cabinet/cabinet/invitation_accept.html"

    def dispatch(self, request, *args, **kwargs):
        self.invitation = team.find_invitation(kwargs["token"])
        if self.invitation is None:
            return self.invalid(_("This invitation is invalid, has expired or has already been used."), 404)
        email = self.invitation.email
        self.has_account = team.account_exists(email)
        if request.user.is_authenticated and (request.user.email or "").lower() != email.lower():
            return self.invalid(_("This invitation was sent to %(email)s. Sign out and open the link again.")
                                % {"email": email}, 403)
        if self.has_account and not request.user.is_authenticated:
            messages.info(request, _("Sign in as %(email)s to accept the invitation.") % {"email": email})
            return redirect_to_login(request.get_full_path(), request.cabinet_page.cabinet_url("login"))
        return super().dispatch(request, *args, **kwargs)

    def invalid(self, message, status):
        context = {"page": self.request.cabinet_page, "message": message}
        return render(self.request, "b2b_cabinet/cabinet/invitation_invalid.html", context, status=status)

    def render_form(self, form=None):
        if form is None and not self.request.user.is_authenticated:
            form = AcceptInvitationForm(email=self.invitation.email)
        context = {"page": self.request.cabinet_page, "invitation": self.invitation, "form": form}
        return render(self.request, self.template, context)

    def get(self, request, token):
        return self.render_form()

    def post(self, request, token):
        ip = request.META.get("REMOTE_ADDR") or None
        try:
            if request.user.is_authenticated:
                membership = team.accept_invitation(token, user=request.user, ip_address=ip)
            else:
                form = AcceptInvitationForm(request.POST, email=self.invitation.email)
                if not form.is_valid():
                    return self.render_form(form)
                membership = team.accept_invitation(token, password=form.cleaned_data["password1"], ip_address=ip)
                # The account was just created, not authenticated: name the backend for the session.
                login(request, membership.user, backend=settings.AUTHENTICATION_BACKENDS[0])
        except TeamError as error:
            return self.invalid(str(error), 404)
        switch_company(request, membership.company)
        messages.success(request, _("Welcome to %(company)s.") % {"company": membership.company})
        return HttpResponseRedirect(request.cabinet_page.url)
