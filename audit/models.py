"""What administrators changed in the Django admin (plan, agencies, periods, users…), for reviewers to read.

Each row keeps who acted as they were named at the time, the object as it was named, and what changed, so
deleting or renaming a user or an object changes nothing here. Append-only like the report history: the
model refuses to be changed or deleted, and on PostgreSQL a trigger refuses UPDATE and DELETE (migration 0002).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class AdminChange(models.Model):
    class Action(models.TextChoices):
        ADDED = "added", _("Added")
        CHANGED = "changed", _("Changed")
        DELETED = "deleted", _("Deleted")
        ACTION = "action", _("Bulk action")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_username = models.CharField(_("by (user name)"), max_length=150, blank=True)
    actor_name = models.CharField(_("by (name)"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    model = models.CharField(_("kind of object"), max_length=100)  # "app_label.model_name"
    model_label = models.CharField(_("kind of object (name)"), max_length=200)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300)
    # Django admin's change message (a JSON list, read in the reader's language) or a bulk action's description.
    message = models.TextField(_("change message"), blank=True)
    # Changed fields with their old and new values: {field label: {"old": …, "new": …}}.
    changes = models.JSONField(_("what changed"), default=dict, blank=True)

    class Meta:
        verbose_name = _("administrator's change")
        verbose_name_plural = _("administrators' changes")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("The administrators' change history is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The administrators' change history is append-only.")

    @property
    def actor_display(self) -> str:
        return self.actor_name or self.actor_username

    def readable_message(self) -> str:
        """The admin's change message in the reader's language (Django's own wording and translation)."""
        if self.action == self.Action.ACTION:
            return self.message
        import json

        from django.contrib.admin.models import LogEntry
        from django.utils.translation import gettext

        try:
            parts = json.loads(self.message or "[]")
        except ValueError:
            return self.message
        # Django records field labels untranslated and capitalised ("Contact phone"); the catalogue has them
        # as the model declares them ("contact phone").
        for part in parts if isinstance(parts, list) else []:
            for sub in part.values() if isinstance(part, dict) else []:
                if isinstance(sub, dict) and "fields" in sub:
                    sub["fields"] = [_translated(name) for name in sub["fields"]]
        return LogEntry(change_message=json.dumps(parts)).get_change_message() or gettext(
            "No fields changed."
        )


def _translated(label: str) -> str:
    from django.utils.translation import gettext

    for candidate in (label, label[:1].lower() + label[1:]):
        translated = gettext(candidate)
        if translated != candidate:
            return translated
    return label
