import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from rcro_portal import bench_runs
from rcro_portal.bench_data import BenchSet, ensure_data
from rcro_portal.peak_memory import peak_rss_mb

# name, what it is, target as printed
ROWS = (
    ("export", "Выгрузка Приложения 1, область", "≤ 1,3 × пол; запросы не растут; ≤ 200 МБ"),
    ("export_floor", "  пол: XlsxWriter constant_memory", "—"),
    ("export_import_export", "  django-import-export ModelResource", "выгрузка ≥ 3 × быстрее"),
    ("report", "Аналитическая справка (задача целиком)", "≤ 5 с"),
    ("dashboard_region", "Сводка области", "≤ 200 мс"),
    ("dashboard_municipality_small", "Сводка МО (десятая часть крупнейшего)", "запросов столько же"),
    ("dashboard_municipality", "Сводка крупнейшего МО", "≤ 200 мс; запросов постоянно"),
    ("import_dry", "Загрузка таблицы, проверка", "≤ 5 с; ≤ 250 МБ"),
    ("import_real", "Загрузка таблицы, запись", "≤ 5 с; ≤ 250 МБ"),
    ("save", "Сохранение формы, p95 из 50", "≤ 50 мс в каждом раунде"),
)
SUMMARY_KEYS = (
    "export_vs_floor",
    "export_vs_import_export",
    "export_peak_mb",
    "report_s",
    "dashboard_region_ms",
    "dashboard_municipality_ms",
    "municipality_queries_small",
    "municipality_queries_large",
    "import_2000_s",
    "save_p95_ms",
)


def run_child(what: str, schools: int, branches: int) -> dict:
    """One measurement in a fresh process."""
    command = [
        sys.executable,
        str(settings.BASE_DIR / "manage.py"),
        "bench_one",
        what,
        f"--schools={schools}",
        f"--branches={branches}",
    ]
    return child_result(command, what)


def child_result(command: list[str], what: str) -> dict:
    """Run ``command`` and read the result it prints on its last «BENCH {…}» line; ``rss_mb`` is
    the peak the child measured itself (``peak_rss_mb``), not ``wait4``'s, which on Linux would
    count this process's memory too."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.run(command, stdout=out, stderr=err, env=os.environ.copy(), check=False)
        out.seek(0)
        err.seek(0)
        text = out.read().decode()
        if process.returncode != 0:
            raise CommandError(f"bench_one {what}: {err.read().decode()[-3000:]}")
    line = next(line for line in reversed(text.splitlines()) if line.startswith("BENCH "))
    result = json.loads(line[len("BENCH ") :])
    result["rss_mb"] = result.pop("peak_rss_mb")
    return result


def run_here(what: str, schools: int, branches: int) -> dict:
    """The same measurement in this process (tests: the data set lives in the test database)."""
    result = getattr(bench_runs, what)(BenchSet(schools, branches))
    result["rss_mb"] = peak_rss_mb()
    return result


class Command(BaseCommand):
    help = (
        "Бенчмарк: создаёт набор данных (N организаций, M филиалов; повторный запуск с тем же N "
        "использует его) и замеряет в отдельных процессах выгрузку, справку, сводки, загрузку "
        "таблицы и сохранение формы; печатает min / медиану, пик RSS процесса, число запросов и "
        "отношения к сравнениям, последней строкой — сводку `bench: …`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=4000)
        parser.add_argument("--branches", type=int, default=None, help="по умолчанию N / 5")
        parser.add_argument("--runs", type=int, default=3, help="процессов на замер (по умолчанию 3)")
        parser.add_argument("--only", nargs="*", choices=bench_runs.MEASUREMENTS, default=None)
        parser.add_argument(
            "--in-process",
            action="store_true",
            help="замерять в этом же процессе (для проверки самой команды в тестах; цифры не показательны)",
        )

    def handle(self, *args, schools, branches, runs, only, in_process, **options):
        if schools < 40:
            raise CommandError("Нужно не меньше 40 организаций.")
        branches = schools // 5 if branches is None else branches
        started = time.perf_counter()
        ensure_data(schools, branches, stdout=self.stdout)
        if connection.vendor == "postgresql":
            # Planner statistics, as autovacuum keeps them on a production server: without them a
            # freshly loaded set is planned as if every table had one row (nested loops throughout).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"набор: {schools} ОО, {branches} филиалов, {max(3, schools // 20)} МО; "
            f"база {connection.vendor}; готов за {time.perf_counter() - started:.1f} с"
        )
        self.stdout.write(
            f"машина: {platform.processor() or platform.machine()}, {os.cpu_count()} ядра, "
            f"Python {platform.python_version()}; {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; "
            f"процессов на замер: {runs}"
        )
        header = f"{'замер':<42} {'min':>9} {'медиана':>9} {'RSS, МБ':>8} {'запросов':>8}  {'цель'}"
        self.stdout.write(header)
        results: dict[str, list[dict]] = {}
        chosen = [row for row in ROWS if not only or row[0] in only]
        run = run_here if in_process else run_child
        # Rounds: every measurement once per round, so that a measurement and its comparison see
        # the same load of a shared machine.
        for _ in range(runs):
            for name, _label, _target in chosen:
                results.setdefault(name, []).append(run(name, schools, branches))
        for name, label, target in chosen:
            seconds = [r["seconds"] for r in results[name]]
            rss = max(r["rss_mb"] for r in results[name])
            queries = results[name][0]["queries"]
            self.stdout.write(
                f"{label:<42} {_fmt(min(seconds)):>9} {_fmt(statistics.median(seconds)):>9} "
                f"{rss:>8.0f} {queries:>8}  {target}"
            )
        summary = summarise(results)
        for name, value in (
            ("выгрузка ÷ пол", summary["export_vs_floor"]),
            ("выгрузка ÷ import-export", summary["export_vs_import_export"]),
        ):
            self.stdout.write(f"{name}: {value}")
        self.stdout.write("bench: " + " ".join(f"{key}={summary[key]}" for key in SUMMARY_KEYS))


def _fmt(seconds: float) -> str:
    return f"{seconds * 1000:.0f} мс" if seconds < 1 else f"{seconds:.2f} с"


def summarise(results: dict[str, list[dict]]) -> dict:
    """Ratios and figures for the summary line: times are the minimum over the runs (the machine is
    shared), the save p95 the worst round; «-» for what was not measured."""

    def best(name):
        return min(r["seconds"] for r in results[name]) if name in results else None

    def ratio(a, b):
        return f"{best(a) / best(b):.2f}" if best(a) is not None and best(b) else "-"

    def value(x, scale=1.0, digits=0):
        return "-" if x is None else f"{x * scale:.{digits}f}"

    return {
        "export_vs_floor": ratio("export", "export_floor"),
        "export_vs_import_export": ratio("export", "export_import_export"),
        "export_peak_mb": value(max(r["rss_mb"] for r in results["export"]) if "export" in results else None),
        "report_s": value(best("report"), digits=2),
        "dashboard_region_ms": value(best("dashboard_region"), 1000),
        "dashboard_municipality_ms": value(best("dashboard_municipality"), 1000),
        "municipality_queries_small": value(
            results["dashboard_municipality_small"][0]["queries"]
            if "dashboard_municipality_small" in results
            else None
        ),
        "municipality_queries_large": value(
            results["dashboard_municipality"][0]["queries"] if "dashboard_municipality" in results else None
        ),
        "import_2000_s": value(
            max(best("import_dry"), best("import_real"))
            if "import_dry" in results and "import_real" in results
            else None,
            digits=2,
        ),
        "save_p95_ms": value(max(r["seconds"] for r in results["save"]) if "save" in results else None, 1000),
    }
