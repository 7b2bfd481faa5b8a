"""Sign-in protection: browsers a user has proven to be theirs, and the e-mails sent about their account."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TrustedDevice(models.Model):
    """A browser where the user proved who they are: a successful sign-in, or the unlock link e-mailed to them.

    Its cookie (a signed random key) lets that browser sign in while the account is paused for everyone else
    after repeated wrong passwords, so an attacker sharing the user's address (an office behind one NAT)
    cannot keep them out. Wrong passwords from the browser itself are counted here; past the limit it loses
    its trust and is throttled like any other.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="trusted_devices", verbose_name=_("user")
    )
    key = models.CharField(_("key"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("trusted since"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), auto_now=True)
    failures = models.PositiveSmallIntegerField(_("wrong passwords in a row"), default=0)

    class Meta:
        verbose_name = _("trusted browser")
        verbose_name_plural = _("trusted browsers")
        ordering = ["-last_used_at"]

    def __str__(self):
        return f"{self.user} – {self.key[:8]}"


class LoginAlert(models.Model):
    """An e-mail sent about an account (a warning of an attack, an unlock link), so that they are rate-limited."""

    class Kind(models.TextChoices):
        ATTACK = "attack", _("Warning of repeated wrong passwords")
        UNLOCK = "unlock", _("Unlock link")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="login_alerts", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in e-mail")
        verbose_name_plural = _("sign-in e-mails")
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.user} – {self.get_kind_display()}"
