"""Run background jobs: `manage.py run_worker` (`make run` starts one beside the server; systemd in production).

django-tasks-db's `db_worker` with a heartbeat (ops/worker.py) and, by default, every queue. Options are
db_worker's (`--batch` runs what is waiting and exits; `--interval`, `--max-tasks`, `--worker-id`, `--reload`),
plus `--heartbeat-seconds`.
"""

import os

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from ops.worker import BeatingWorker


class Command(db_worker.Command):
    help = "Run background jobs (Django tasks stored in the database) and keep a heartbeat for /healthz."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # Every queue unless told otherwise: a queue added by an app needs no change to how workers start.
        parser.set_defaults(queue_name="*")
        parser.add_argument(
            "--heartbeat-seconds",
            type=float,
            default=10.0,
            help="How often the worker records that it is alive; 0 records only at start (default: 10).",
        )

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        exclude_queues,
        heartbeat_seconds,
        **options,
    ):
        self.configure_logging(verbosity)
        if heartbeat_seconds < 0:
            raise CommandError("--heartbeat-seconds must be zero or greater")
        reload = reload and not batch
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")

        worker = BeatingWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
            heartbeat_seconds=heartbeat_seconds,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the reloaded child runs jobs
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
