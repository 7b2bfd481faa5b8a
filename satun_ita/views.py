"""Project-level views that know both apps: where a signed-in user lands."""

from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

from measures import views as measures_views
from reports import roles


@require_safe
def home(request):
    """Reviewers land on the dashboard, reporters on their agency's page, everyone else on the public page."""
    user = request.user
    if user.is_authenticated:
        if roles.can_view_all(user):
            try:
                return redirect(reverse("reports:dashboard"))
            except NoReverseMatch:
                pass
        elif roles.user_agency(user) is not None:
            return redirect("reports:agency_home")
    return measures_views.home(request)


def csrf_failure(request, reason=""):
    """A form sent from a page that is no longer valid (signed out, or signed in again in another tab).

    Django's own page is English and technical; this one says in Thai what happened and what to do.
    """
    return render(request, "403_csrf.html", status=403)
