import logging
from functools import partial

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from benchmarking.forms import form_helper

from . import services
from .forms import EmailAuthenticationForm, LoginLinkRequestForm, ProfileForm
from .tasks import task_send_login_link
from .tokens import user_for_login_token

logger = logging.getLogger(__name__)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True


def _send_login_link_later(email: str) -> None:
    try:
        task_send_login_link.delay(email=email)
    except Exception:  # noqa: BLE001 - the broker is unreachable (kombu/redis errors)
        # Keep the link rather than lose it: the outbox row waits for the periodic job. Only
        # during such an outage does the answer take longer for a known address.
        logger.warning("Broker unreachable; queuing the login link in the request")
        services.send_login_link(email)


@method_decorator(login_not_required, name="dispatch")
class LoginLinkRequestView(FormView):
    template_name = "accounts/login_link_request.html"
    form_class = LoginLinkRequestForm

    def form_valid(self, form):
        # The account is looked up in the worker, after the response: the request does the
        # same work, and takes the same time, whether or not the address is known.
        transaction.on_commit(partial(_send_login_link_later, form.cleaned_data["email"]))
        # The same answer whether or not the address is known: no probing for accounts.
        return render(
            self.request, "accounts/login_link_sent.html", {"email": form.cleaned_data["email"]}
        )


@method_decorator(login_not_required, name="dispatch")
class LoginLinkView(TemplateView):
    """GET shows a button, POST logs in: mail scanners that follow links spend nothing."""

    template_name = "accounts/login_link.html"

    def get(self, request, token):
        user = user_for_login_token(token)
        status = 200 if user else 400
        return self.render_to_response({"link_user": user}, status=status)

    def post(self, request, token):
        user = user_for_login_token(token)
        if user is None:
            return self.render_to_response({"link_user": None}, status=400)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome, %(name)s.") % {"name": user.get_short_name()})
        if not user.has_usable_password():
            messages.info(request, _("You can choose a password under My account."))
        return redirect("programmes:home")


class AccountView(TemplateView):
    """The person's own details, language and password."""

    template_name = "accounts/account.html"
    success_url = reverse_lazy("accounts:account")

    def _password_form(self, data=None):
        user = self.request.user
        form_class = PasswordChangeForm if user.has_usable_password() else SetPasswordForm
        form = form_class(user, data, prefix="password")
        form.helper = form_helper(_("Save password"), form_tag=False)
        return form

    def get_context_data(self, **kwargs):
        kwargs.setdefault("profile_form", ProfileForm(instance=self.request.user, prefix="profile"))
        kwargs.setdefault("password_form", self._password_form())
        return super().get_context_data(**kwargs)

    def post(self, request):
        if request.POST.get("form") == "password":
            form = self._password_form(request.POST)
            if form.is_valid():
                form.save()
                update_session_auth_hash(request, form.user)
                messages.success(request, _("Your password was saved."))
                return redirect(self.success_url)
            return self.render_to_response(self.get_context_data(password_form=form))
        form = ProfileForm(request.POST, instance=request.user, prefix="profile")
        if form.is_valid():
            form.save()
            messages.success(request, _("Your details were saved."))
            response = redirect(self.success_url)
            response.set_cookie("django_language", form.cleaned_data["language"], samesite="Lax")
            return response
        return self.render_to_response(self.get_context_data(profile_form=form))
