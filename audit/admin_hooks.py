"""Record every change made through the Django admin in AdminChange.

Django's admin reports its own writes through three ModelAdmin methods (log_addition, log_change,
log_deletions), for every model and inline alike, and runs bulk actions through response_action. `install()`
wraps those methods on each registered ModelAdmin (the apps that register them need not know about this one),
and `construct_change_message` to keep the changed fields' old and new values. Writes made outside the admin
(the plan importer, management commands) are not administrators' edits and are not recorded here.
"""

import json

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Model

from audit.models import AdminChange

_INSTALLED = "_audit_installed"


def _display(value) -> str | int | float | bool | None:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, list | tuple | set) or hasattr(value, "all"):
        items = value.all() if hasattr(value, "all") else value
        return ", ".join(str(item) for item in items)
    return str(value)[:500]


def record(request, action, *, model, objects=(), message="", changes=None):
    user = request.user if request.user.is_authenticated else None
    rows = [
        AdminChange(
            actor=user,
            actor_username=user.get_username() if user else "",
            actor_name=user.get_full_name() if user else "",
            action=action,
            model=model._meta.label_lower,
            model_label=str(model._meta.verbose_name),
            object_id=str(obj.pk or "")[:64],
            object_repr=str(obj)[:300],
            message=message if isinstance(message, str) else json.dumps(message),
            changes=(changes or {}).get(obj.pk, {}) if changes else {},
        )
        for obj in objects
    ]
    AdminChange.objects.bulk_create(rows)


def _wrap(model_admin):
    model = model_admin.model
    log_addition, log_change, log_deletions = (
        model_admin.log_addition,
        model_admin.log_change,
        model_admin.log_deletions,
    )
    construct_change_message, response_action = (
        model_admin.construct_change_message,
        model_admin.response_action,
    )

    def audited_construct_change_message(request, form, formsets, add=False):
        values = {}
        if form is not None and not add:
            for name in form.changed_data:
                if name in form.fields:
                    label = str(form.fields[name].label or name)
                    values[label] = {
                        "old": _display(form.initial.get(name)),
                        "new": _display(form.cleaned_data.get(name)),
                    }
        request._audit_values = getattr(request, "_audit_values", {})
        request._audit_values[form.instance.pk if form is not None else None] = values
        return construct_change_message(request, form, formsets, add)

    def audited_log_addition(request, obj, message):
        entry = log_addition(request, obj, message)
        record(request, AdminChange.Action.ADDED, model=model, objects=[obj], message=message)
        return entry

    def audited_log_change(request, obj, message):
        entry = log_change(request, obj, message)
        values = getattr(request, "_audit_values", {})
        record(
            request, AdminChange.Action.CHANGED, model=model, objects=[obj], message=message, changes=values
        )
        return entry

    def audited_log_deletions(request, queryset):
        objects = list(queryset)
        entries = log_deletions(request, queryset)
        record(request, AdminChange.Action.DELETED, model=model, objects=objects, message="")
        return entries

    def audited_response_action(request, queryset):
        name = request.POST.get("action", "")
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        before = list(queryset.filter(pk__in=selected)) if selected else []
        response = response_action(request, queryset)
        # delete_selected records its deletions through log_deletions (after its confirmation page).
        if name and name != "delete_selected" and before:
            action = model_admin.get_actions(request).get(name)
            description = str(action[2]) if action else name
            record(request, AdminChange.Action.ACTION, model=model, objects=before, message=description)
        return response

    model_admin.construct_change_message = audited_construct_change_message
    model_admin.log_addition = audited_log_addition
    model_admin.log_change = audited_log_change
    model_admin.log_deletions = audited_log_deletions
    model_admin.response_action = audited_response_action
    setattr(model_admin, _INSTALLED, True)


def install(site=admin.site):
    for model_admin in list(site._registry.values()):
        if not getattr(model_admin, _INSTALLED, False):
            _wrap(model_admin)
