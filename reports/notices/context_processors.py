from functools import cache

from reports.models import Notice


def notices(request):
    """The signed-in user's unread notice count for the header: a callable, so the COUNT runs only on pages
    whose template asks for it, once however often it is shown."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notice_count": cache(lambda: Notice.objects.for_user(user).unread().count())}
