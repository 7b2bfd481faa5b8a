"""Accounts: who is signed in where (so an administrator can see and end a user's sessions), and the password
reset requests made (so they can be throttled)."""

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserSession(models.Model):
    """A signed-in session of a user: written at login; it goes when the session ends (log out, expiry clean-up
    or an administrator ending it), since it hangs on Django's own session row."""

    session = models.OneToOneField(
        Session, models.CASCADE, primary_key=True, related_name="user_session", verbose_name=_("session")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="portal_sessions", verbose_name=_("user")
    )
    started_at = models.DateTimeField(_("signed in"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        ordering = ["-last_seen_at"]

    def __str__(self):
        return f"{self.user} – {self.started_at:%Y-%m-%d %H:%M}"


class PasswordResetRequest(models.Model):
    """One request of the password reset form, kept for an hour or so to throttle the form."""

    created_at = models.DateTimeField(_("requested"), auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    email = models.EmailField(_("e-mail"))

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")
        ordering = ["-created_at"]
        indexes = [
            # The throttle: requests for one address, and from one client address, in the last hour.
            models.Index(fields=["email", "created_at"], name="accounts_reset_by_email"),
            models.Index(fields=["ip_address", "created_at"], name="accounts_reset_by_ip"),
        ]

    def __str__(self):
        return f"{self.email} – {self.created_at:%Y-%m-%d %H:%M}"
