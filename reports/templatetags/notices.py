from django import template

from reports.notices import services

register = template.Library()


@register.filter
def notice_headline(notice) -> str:
    return services.headline(notice)
