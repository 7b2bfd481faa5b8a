from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from measures.models import FiscalYear
from reports import roles


@login_required
def agency_home(request):
    """Placeholder until the agency-reporting issue lands: the reporter's agency and year."""
    return render(
        request,
        "reports/agency_home.html",
        {"agency": roles.user_agency(request.user), "fiscal_year": FiscalYear.objects.active()},
    )
