"""The administrators' changes, for reviewers and administrators to read."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from audit.models import AdminChange
from reports import roles

PAGE_SIZE = 50


@login_required
@require_safe
def changes(request):
    if not roles.can_view_all(request.user):
        raise PermissionDenied(_("Only provincial reviewers and administrators can see this page."))
    kinds = dict(AdminChange.objects.order_by().values_list("model", "model_label").distinct())
    rows = AdminChange.objects.all()
    kind = request.GET.get("kind", "")
    if kind in kinds:
        rows = rows.filter(model=kind)
    else:
        kind = ""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/changes.html",
        {"page": page, "kinds": sorted(kinds.items(), key=lambda item: item[1]), "kind": kind},
    )
