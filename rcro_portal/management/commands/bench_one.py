import json

from django.core.management.base import BaseCommand

from core.startup import freeze_startup_objects
from rcro_portal import bench_runs
from rcro_portal.bench_data import BenchSet
from rcro_portal.peak_memory import peak_rss_mb


class Command(BaseCommand):
    help = "Одно измерение бенчмарка (запускается командой bench в отдельном процессе); печатает JSON."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=bench_runs.MEASUREMENTS)
        parser.add_argument("--schools", type=int, required=True)
        parser.add_argument("--branches", type=int, required=True)

    def handle(self, *args, what, schools, branches, **options):
        bench = BenchSet(schools, branches)
        # A process set up as the portal's server and worker processes are (wsgi.py, the Celery
        # worker's start): the application loaded, its objects out of the collector's sight.
        freeze_startup_objects()
        result = getattr(bench_runs, what)(bench)
        result["peak_rss_mb"] = peak_rss_mb()
        self.stdout.write("BENCH " + json.dumps(result, default=str))
