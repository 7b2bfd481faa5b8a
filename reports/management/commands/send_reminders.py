"""E-mail deadline reminders to agencies, a digest of new submissions to reviewers, and
retry notice e-mails that failed. Run daily from cron:

    0 8 * * * cd /srv/satun_ita && .venv/bin/python manage.py send_reminders --enqueue

With --enqueue the work is handed to the background worker (reports/tasks.py) and the command returns at once;
without it the command sends everything itself.
The rule (which stage when, at most once per agency, period and stage) is in reports/reminders.py.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from reports import reminders, tasks
from reports.notices import services as notices


class Command(BaseCommand):
    help = (
        "E-mail agencies whose report is due within 7 days, due tomorrow or overdue (each stage once), "
        "and e-mail reviewers a digest of reports submitted since the last digest."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="Act as if today were this date (YYYY-MM-DD, Asia/Bangkok). Default: today.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be sent; send and record nothing."
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the work to the background worker (manage.py run_worker) and return at once.",
        )

    def handle(self, *args, date=None, dry_run=False, enqueue=False, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(f"--date must be YYYY-MM-DD, got {date!r}.") from error
        if enqueue:
            if dry_run:
                raise CommandError(
                    "--enqueue and --dry-run do not go together: a dry run prints, a job sends."
                )
            job = tasks.send_reminders.enqueue(date=today.isoformat() if today else None)
            self.stdout.write(f"Reminders handed to the background worker (job {job.id}).")
            return
        prefix = "[dry run] " if dry_run else ""

        result = reminders.send_reminders(today, dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        for reminder in result.sent:
            self.stdout.write(
                f"{prefix}{verb} {reminder.stage} reminder: {reminder.agency.code} {reminder.period} "
                f"(due in {reminder.days_left} days) -> {', '.join(reminder.recipients)}"
            )
        for reminder in result.no_recipient:
            self.stderr.write(
                f"{prefix}no e-mail address for {reminder.agency.code} ({reminder.stage} reminder, "
                f"{reminder.period}): add a reporter or a contact e-mail"
            )
        for reminder, error in result.failed:
            self.stderr.write(
                f"FAILED {reminder.stage} reminder to {reminder.agency.code} ({reminder.period}): {error}; "
                "it will be tried again on the next run"
            )
        by_stage = dict.fromkeys(reminders.Stage.values, 0)
        for reminder in result.sent:
            by_stage[reminder.stage] += 1
        self.stdout.write(
            f"{prefix}Reminders {verb}: {len(result.sent)} "
            f"({', '.join(f'{stage} {n}' for stage, n in by_stage.items())}); "
            f"without recipient: {len(result.no_recipient)}; failed: {len(result.failed)}."
        )

        digest = reminders.send_digest(dry_run=dry_run)
        if digest.immediate:
            self.stdout.write(
                f"{prefix}Reviewer digest: off, reviewers are e-mailed each submission at once."
            )
        elif not digest.reports:
            self.stdout.write(f"{prefix}Reviewer digest: no new submissions, nothing sent.")
        elif digest.already_sent:
            self.stdout.write(f"{prefix}Reviewer digest: sent by another run at the same time, nothing sent.")
        elif not digest.recipients:
            self.stderr.write(f"{prefix}Reviewer digest: no reviewer has an e-mail address, nothing sent.")
        else:
            self.stdout.write(
                f"{prefix}Reviewer digest {verb}: {len(digest.reports)} new submission(s) "
                f"to {len(digest.recipients)} reviewer(s)."
            )
        if not dry_run:
            sent, failed = notices.retry_unsent()
            self.stdout.write(
                f"Notices e-mailed again after an earlier failure: {sent}; failed again: {failed}."
            )
        if result.failed:
            raise CommandError(f"{len(result.failed)} reminder(s) could not be sent; see above.")
