"""Dates in the admin as Thai officials read and type them: with B.E. years.

Django's Thai formats print C.E. years with Thai month names ("5 มกราคม 2022") and read dd/mm/yyyy as
C.E., so an administrator who types a due date as 15/01/2566 out of habit would set it in the year 2566.
`be_column` shows a date or time with its B.E. year; `BuddhistDateField` shows dd/mm/B.E. and reads
either a B.E. year or a C.E. one (the admin's calendar picker writes C.E.).
"""

import datetime

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError

from measures import thaidate


def be_column(model, name: str):
    """A list or read-only column for the date/time field `name`, in Thai with its B.E. year."""
    field = model._meta.get_field(name)

    @admin.display(description=field.verbose_name, ordering=name)
    def column(obj):
        value = getattr(obj, name)
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            return thaidate.local_datetime(value)
        return thaidate.local_date(value, short=True)

    column.__name__ = f"{name}_be"
    return column


class BuddhistDateWidget(AdminDateWidget):
    """The admin's date box and calendar, showing the date as dd/mm/B.E. (15/01/2566)."""

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return f"{value.day:02d}/{value.month:02d}/{thaidate.be_year(value.year)}"
        return super().format_value(value)


class BuddhistDateField(forms.DateField):
    """dd/mm/yyyy with a B.E. year (2566) or a C.E. one (2023)."""

    widget = BuddhistDateWidget

    def to_python(self, value):
        try:
            return thaidate.be_to_ce(super().to_python(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


# For a ModelAdmin's or inline's formfield_overrides: every date field read and shown in B.E.
BUDDHIST_DATES = {"form_class": BuddhistDateField, "widget": BuddhistDateWidget}
