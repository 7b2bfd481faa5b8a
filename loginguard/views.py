"""The unlock link: asked for from the lockout page, opened from the e-mail, confirmed with a button."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from loginguard import devices, unlock


def _address(request):
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request)


@require_POST
def unlock_request(request):
    """Send the unlock link to the account's e-mail address. The answer is the same whether or not the user
    name exists or has an address, so the page tells an outsider nothing."""
    username = request.POST.get("username", "")
    valid = username and len(username) <= 150 and "\x00" not in username
    user = get_user_model().objects.filter(username=username, is_active=True).first() if valid else None
    if user is not None:
        unlock.send_unlock_link(user, ip_address=_address(request))
    return render(request, "loginguard/unlock_sent.html")


@require_http_methods(["GET", "POST"])
def unlock_confirm(request, token):
    """GET shows a button (mail scanners open links; only a person's click trusts the browser); POST trusts."""
    user = unlock.user_for_token(token)
    if user is None:
        return render(request, "loginguard/unlock_invalid.html", status=400)
    if request.method == "POST":
        devices.trust(request, user)
        messages.success(
            request,
            _("This browser can now sign in as %(username)s, even while signing in is paused for others.")
            % {"username": user.get_username()},
        )
        return redirect("login")
    return render(request, "loginguard/unlock_confirm.html", {"account": user})
