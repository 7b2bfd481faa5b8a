"""Project-level views that know both apps: where a signed-in user lands."""

from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from measures import views as measures_views
from reports import roles


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
