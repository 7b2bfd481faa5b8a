"""Template filters for Thai dates and digits: {{ d|thai_date }} -> 6 มกราคม 2565.

Dates follow the page's language: on the English pages the same filters give "6 January 2565" (B.E. years
throughout, like the fiscal years).
"""

from django import template

from measures import thaidate

register = template.Library()


@register.filter
def thai_date(value):
    return thaidate.local_date(value)


@register.filter
def thai_date_short(value):
    return thaidate.local_date(value, short=True)


@register.filter
def thai_datetime(value):
    return thaidate.local_datetime(value)


@register.filter
def thai_digits(value):
    return thaidate.to_thai_digits(value)


@register.filter
def be_year(value):
    """A C.E. year or date as its B.E. year."""
    year = getattr(value, "year", value)
    return thaidate.be_year(int(year))
