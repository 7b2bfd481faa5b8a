from django.conf import settings

from measures.models import localized


def portal(request):
    """The instance's name, for the page header and titles: Thai, or English on English pages."""
    return {"PORTAL_NAME": localized(settings.PORTAL_NAME, settings.PORTAL_NAME_EN)}
