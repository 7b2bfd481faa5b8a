from django.core.management.base import BaseCommand

from reports import roles


class Command(BaseCommand):
    help = (
        "Create or update the role groups (agency reporter, provincial reviewer, administrator). Idempotent."
    )

    def handle(self, *args, **options):
        for name, group in roles.setup_groups().items():
            self.stdout.write(f"{name}: {group.permissions.count()} permission(s)")
