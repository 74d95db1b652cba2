"""``manage.py b2b_schedules``: create or update the django-q2 schedules of the 1C sync.

Safe to run on every deploy (``make demo`` runs it after ``migrate``): it keeps exactly one
schedule per task, and removes the drop-folder schedule when ``DROP_FOLDER`` is not set.
"""

from django.core.management.base import BaseCommand

from b2b_cabinet.sync.tasks import ensure_schedules


class Command(BaseCommand):
    help = "Create or update the django-q2 schedules of the 1C sync (drop folder import, daily cleanup)."

    def handle(self, *args, **options):
        schedules = ensure_schedules()
        for schedule in schedules:
            every = f"every {schedule.minutes} min" if schedule.minutes else schedule.get_schedule_type_display()
            next_run = f"{schedule.next_run:%Y-%m-%d %H:%M}"
            self.stdout.write(f"{schedule.name}: {schedule.func} ({every}), next run {next_run}")
        self.stdout.write(self.style.SUCCESS(f"{len(schedules)} schedule(s) in place."))
