from django.conf import settings


def portal(request):
    """The instance's name, for the page header and titles."""
    return {"PORTAL_NAME": settings.PORTAL_NAME}
