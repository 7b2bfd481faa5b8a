from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from linkcheck import services, tasks


class Command(BaseCommand):
    help = (
        "Check the portal's links (evidence, OIT checklist answers): HEAD then GET, at most 10 at once and 2 "
        "per host. A link is broken after two failed checks in a row; its owners are told once. Run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Check every link, also those checked within the interval (LINKCHECK_INTERVAL).",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the run to the background worker (manage.py run_worker) and return at once.",
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            job = tasks.check_links.enqueue(everything=options["all"])
            self.stdout.write(_("Link check handed to the background worker (job %(id)s).") % {"id": job.id})
            return
        result = services.run(everything=options["all"])
        self.stdout.write(
            _("%(links)s links monitored (%(added)s new, %(removed)s no longer used).") % vars(result.sync)
        )
        self.stdout.write(
            _("Checked %(checked)s links in %(seconds).1f s: %(failed)s failed.")
            % {"checked": result.checked, "seconds": result.seconds, "failed": result.failed}
        )
        for link in result.broken:
            self.stdout.write(_("Broken: %(url)s (%(reason)s)") % {"url": link.url, "reason": link.reason})
        for link in result.recovered:
            self.stdout.write(_("Working again: %(url)s") % {"url": link.url})
        if result.notified:
            self.stdout.write(_("Told of breakages: %(owners)s") % {"owners": ", ".join(result.notified)})
        for owner, error in result.notify_failed:
            self.stderr.write(_("Could not tell %(owner)s: %(error)s") % {"owner": owner, "error": error})
