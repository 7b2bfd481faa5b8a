"""Receivers: an attack warning when axes pauses a user name; trusted devices counted and issued."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models import F
from django.dispatch import receiver

from loginguard import devices, unlock
from loginguard.models import TrustedDevice


@receiver(user_locked_out)
def warn_the_user(sender, request=None, username=None, ip_address=None, **kwargs):
    user = get_user_model().objects.filter(username=username, is_active=True).first() if username else None
    if user is not None:
        failures = getattr(request, "axes_failures_since_start", None) or 0
        unlock.warn_of_attack(user, ip_address=ip_address, failures=failures)


@receiver(user_login_failed)
def count_a_trusted_devices_failure(sender, credentials=None, request=None, **kwargs):
    if request is None:
        return
    device = devices.device_for(request, (credentials or {}).get("username"))
    if device is not None:
        TrustedDevice.objects.filter(pk=device.pk).update(failures=F("failures") + 1)


@receiver(user_logged_in)
def trust_the_browser(sender, request=None, user=None, **kwargs):
    # Only a sign-in with a password through the login page makes a browser trusted (not force_login in tests
    # or other code paths without a form).
    if request is not None and request.method == "POST" and "password" in request.POST:
        devices.trust(request, user)
