"""The unlock link e-mailed to a user whose account is paused, and the warning e-mail of an attack."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from loginguard.models import LoginAlert

logger = logging.getLogger(__name__)
SALT = "loginguard.unlock"
LINK_MAX_AGE = 3600  # seconds an unlock link is valid
# At most one e-mail of each kind per user in this time: an attacker cannot flood the user's mailbox.
ALERT_INTERVAL = datetime.timedelta(minutes=15)


def _fingerprint(user) -> str:
    """Changes when the user signs in or changes their password: a link stops working after either."""
    return salted_hmac(SALT, f"{user.pk}:{user.password}:{user.last_login}").hexdigest()[:20]


def make_token(user) -> str:
    return signing.dumps([user.pk, _fingerprint(user)], salt=SALT, compress=True)


def user_for_token(token: str):
    """The active user an unexpired, unused unlock token was made for, else None."""
    try:
        pk, fingerprint = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if user is None or fingerprint != _fingerprint(user):
        return None
    return user


def unlock_url(user) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("loginguard:unlock", args=[make_token(user)])


def _recently_sent(user, kind) -> bool:
    return LoginAlert.objects.filter(
        user=user, kind=kind, sent_at__gte=timezone.now() - ALERT_INTERVAL
    ).exists()


def _send(user, kind, template: str, context: dict, ip_address=None) -> bool:
    if not user.email or _recently_sent(user, kind):
        return False
    context = {"user": user, "portal_name": settings.PORTAL_NAME, "unlock_url": unlock_url(user), **context}
    subject = render_to_string(f"loginguard/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"loginguard/email/{template}.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except OSError:
        logger.exception("Could not send the %s e-mail to user %s", kind, user.pk)
        return False
    LoginAlert.objects.create(user=user, kind=kind, ip_address=ip_address)
    return True


def send_unlock_link(user, ip_address=None) -> bool:
    """E-mail the user a link that makes the browser opening it a trusted device. Rate-limited."""
    return _send(user, LoginAlert.Kind.UNLOCK, "unlock", {}, ip_address)


def warn_of_attack(user, *, ip_address, failures: int) -> bool:
    """Tell the user their account is getting wrong passwords, with the unlock link. Rate-limited."""
    context = {"ip_address": ip_address or "–", "failures": failures, "when": timezone.localtime()}
    return _send(user, LoginAlert.Kind.ATTACK, "attack", context, ip_address)
