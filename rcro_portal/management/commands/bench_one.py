import json

from django.core.management.base import BaseCommand

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
        result = getattr(bench_runs, what)(BenchSet(schools, branches))
        result["peak_rss_mb"] = peak_rss_mb()
        self.stdout.write("BENCH " + json.dumps(result, default=str))
