"""Password reset by e-mail: Django's own views, with Thai templates and a throttle on the request form.

The throttle: at most RESET_PER_ADDRESS requests an hour for one e-mail address (beyond that nothing is sent,
and the page says the same as always, so it tells nobody whether the address has an account) and at most
RESET_PER_CLIENT an hour from one client address (beyond that the form says, in Thai, to try again later).
"""

import datetime

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import PasswordResetRequest
from accounts.sessions import _client_ip

WINDOW = datetime.timedelta(hours=1)


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    success_url = reverse_lazy("password_reset_done")
    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        ip = _client_ip(self.request)
        since = timezone.now() - WINDOW
        recent = PasswordResetRequest.objects.filter(created_at__gte=since)
        if ip and recent.filter(ip_address=ip).count() >= settings.PASSWORD_RESET_PER_CLIENT:
            form.add_error(
                None, _("Too many password reset requests from this computer. Try again in an hour.")
            )
            return self.form_invalid(form)
        too_many = recent.filter(email=email).count() >= settings.PASSWORD_RESET_PER_ADDRESS
        PasswordResetRequest.objects.create(ip_address=ip, email=email)
        PasswordResetRequest.objects.filter(created_at__lt=since - WINDOW).delete()
        if too_many:
            return super(auth_views.PasswordResetView, self).form_valid(form)  # the same page, nothing sent
        return super().form_valid(form)


class PortalPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")
