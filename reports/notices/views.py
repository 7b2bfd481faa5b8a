"""A user's notices (the list, opening one, marking all read) and the reviewers' "remind this agency now".

Notices are the signed-in user's own (`access.notice`): anyone else's is a 404; reminding is for reviewers.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from reports import access, roles
from reports.models import Notice
from reports.notices import services

PAGE_SIZE = 20


@login_required
@require_safe
def notice_list(request):
    notices = Notice.objects.for_user(request.user).select_related("period__fiscal_year", "agency")
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    has_unread = Notice.objects.for_user(request.user).unread().exists()
    return render(
        request,
        "reports/notices/list.html",
        {"page": page, "notices": page.object_list, "has_unread": has_unread},
    )


@login_required
@require_safe
def notice_open(request, pk):
    """Mark the notice read and go where it points (the report, the review page or the agency home)."""
    notice = access.notice(request.user, pk)
    if notice.read_at is None:
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now())
    return redirect(services.target_path(notice))


@login_required
@require_POST
def notice_read_all(request):
    count = Notice.objects.for_user(request.user).unread().update(read_at=timezone.now())
    if count:
        messages.success(request, _("All notices are marked as read."))
    return redirect("reports:notices")


@login_required
@require_POST
def remind_agency(request, agency_id, period_id):
    """A reviewer reminds an agency that has not submitted: notices and e-mails, at most once a day."""
    agency = access.active_agency(request.user, agency_id, roles.REVIEWER)
    period = access.period(request.user, period_id, roles.REVIEWER)
    try:
        reminder = services.remind_agency(agency=agency, period=period, user=request.user)
    except services.AlreadyReminded:
        messages.info(
            request, _("%(agency)s was already reminded about this period today.") % {"agency": agency.name}
        )
    except services.NothingToRemind:
        messages.info(request, _("%(agency)s has already submitted this report.") % {"agency": agency.name})
    else:
        if reminder.recipients:
            messages.success(
                request, _("A reminder was sent to %(agency)s's reporters.") % {"agency": agency.name}
            )
        else:
            messages.warning(
                request,
                _(
                    "%(agency)s has no reporter with an e-mail address: the reminder is shown in the portal only."
                )
                % {"agency": agency.name},
            )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "reports:dashboard"
    return redirect(back)
