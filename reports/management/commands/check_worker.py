import time

from django.core.management.base import BaseCommand, CommandError

from reports.services import worker_ping_request


class Command(BaseCommand):
    help = "Отправляет пробную задачу в очередь Celery и ждёт, пока её выполнит обработчик."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=30.0, help="секунд ожидания")

    def handle(self, *args, timeout, **options):
        ping = worker_ping_request()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ping.refresh_from_db()
            if ping.completed_at:
                self.stdout.write(self.style.SUCCESS(f"Задача выполнена обработчиком {ping.worker}."))
                return
            time.sleep(0.2)
        raise CommandError(f"Задача не выполнена за {timeout:g} с: проверьте, запущен ли Celery worker.")
