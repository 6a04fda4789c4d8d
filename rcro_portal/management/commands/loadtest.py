import csv
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from rcro_portal import loadtest
from rcro_portal.bench_data import ensure_data

MSG_NEEDS_SERVICES = (
    "Нагрузочный тест идёт на PostgreSQL и Redis, как в работе: укажите DATABASE_URL=postgres://… "
    "и REDIS_URL=redis://…, например: make loadtest DATABASE_URL=postgres://postgres@127.0.0.1:5432/rcro "
    "REDIS_URL=redis://127.0.0.1:6379/0"
)
LOCUSTFILE = settings.BASE_DIR / "scripts" / "locustfile.py"
TARGET_P95_MS = 300


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, session: str | None = None) -> int:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    if session:
        request.add_header("Cookie", f"{settings.SESSION_COOKIE_NAME}={session}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback only)
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def static_up_to_date() -> bool:
    """The production storage needs collected files; compressing them takes minutes, so only when
    the project's own static files changed since."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return False
    newest = max(
        (f.stat().st_mtime for d in settings.STATICFILES_DIRS for f in Path(d).rglob("*") if f.is_file()),
        default=0.0,
    )
    return manifest.stat().st_mtime >= newest


def aggregated(stats_csv: Path) -> tuple[dict, list[dict]]:
    with stats_csv.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return total, [r for r in rows if r["Name"] != "Aggregated"]


class Command(BaseCommand):
    help = (
        "Нагрузочный тест: gunicorn с рабочими настройками на 127.0.0.1, locust без интерфейса "
        "(координаторы сохраняют форму, специалисты МОУО проверяют, методисты смотрят сводки), "
        "затем проверка, что каждое подтверждённое сохранение есть в базе."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--duration", type=int, default=60, help="секунд")
        parser.add_argument("--spawn-rate", type=float, default=10)
        parser.add_argument("--schools", type=int, default=4000)
        parser.add_argument("--branches", type=int, default=None, help="по умолчанию — пятая часть ОО")
        parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
        parser.add_argument("--threads", type=int, default=1, help="потоков на процесс gunicorn")
        parser.add_argument(
            "--max-requests",
            type=int,
            default=None,
            help="предел числа запросов (по умолчанию 10 в секунду на человека)",
        )
        parser.add_argument(
            "--no-warmup", action="store_true", help="не прогревать процессы gunicorn до замера"
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql" or not settings.REDIS_URL:
            raise CommandError(MSG_NEEDS_SERVICES)
        users, duration = options["users"], options["duration"]
        if users < 1 or duration < 1:
            raise CommandError("Число пользователей и длительность должны быть положительными.")
        schools = options["schools"]
        branches = options["branches"] if options["branches"] is not None else schools // 5
        max_requests = options["max_requests"] or users * duration * 10

        started = time.monotonic()
        bench = ensure_data(schools, branches, stdout=self.stdout)
        run_id = time.strftime("%Y%m%d%H%M%S")
        workdir = Path(settings.VAR_DIR) / "loadtest" / run_id
        workdir.mkdir(parents=True, exist_ok=True)
        plan = loadtest.build_plan(bench, users, run_id=run_id)
        plan_path, log_path = workdir / "plan.json", workdir / "saves.jsonl"
        plan_path.write_text(json.dumps(plan), encoding="utf-8")
        self.stdout.write(
            f"набор готов, {len(plan['coordinators'])} координаторов вошли: {time.monotonic() - started:.1f} с"
        )

        env = {
            **os.environ,
            "DJANGO_ENV": "production",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,  # the sessions above are signed with it
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            "DJANGO_STATIC_COMPRESS": "0",  # no static files are requested; compressing takes minutes
        }
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        if not static_up_to_date():
            self.stdout.write("collectstatic (сжатие статических файлов, один раз)…")
            subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], env=env, check=True)

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        gunicorn_log = (workdir / "gunicorn.log").open("w")
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "rcro_portal.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={options['workers']}",
                f"--threads={options['threads']}",
                "--preload",
                "--no-control-socket",
                "--worker-tmp-dir=/dev/shm",
                "--timeout=60",
                "--graceful-timeout=10",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=gunicorn_log,
            stderr=subprocess.STDOUT,
        )
        try:
            self.wait_ready(server, base)
            if not options["no_warmup"]:
                self.warm_up(base, plan, options["workers"] * options["threads"])
            stats = self.run_locust(
                base, plan_path, log_path, workdir, users, duration, options, max_requests
            )
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            gunicorn_log.close()

        total, rows = aggregated(stats)
        records = loadtest.read_log(log_path)
        result = loadtest.verify(records, loadtest.stored_saves(bench, {int(r["school"]) for r in records}))
        self.report(rows, total, result, users, duration, workdir)

    def wait_ready(self, server: subprocess.Popen, base: str) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError(
                    f"gunicorn не запустился, код {server.returncode}: см. журнал рядом с plan.json"
                )
            try:
                if fetch(base + "/accounts/login/") == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise CommandError("gunicorn не ответил за 90 с")

    def warm_up(self, base: str, plan: dict, parallel: int) -> None:
        """Each worker has read its templates and dictionaries before the measured window."""
        coordinator, specialist, methodist = (
            plan[k][0] for k in ("coordinators", "specialists", "methodists")
        )
        pages = [
            (coordinator["session"], coordinator["edit"]),
            (specialist["session"], specialist["dashboard"]),
            (methodist["session"], methodist["dashboard"]),
            (methodist["session"], methodist["municipalities"][0]),
        ]
        if specialist["reports"]:
            pages.append((specialist["session"], specialist["reports"][0]))
        jobs = [page for page in pages for _ in range(parallel)]
        with ThreadPoolExecutor(parallel) as pool:
            list(pool.map(lambda job: fetch(base + job[1], job[0]), jobs))

    def run_locust(self, base, plan_path, log_path, workdir, users, duration, options, max_requests) -> Path:
        prefix = workdir / "locust"
        command = [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--only-summary",
            f"--host={base}",
            f"--users={users}",
            f"--spawn-rate={options['spawn_rate']}",
            f"--run-time={duration}s",
            "--stop-timeout=10",
            f"--csv={prefix}",
            "--loglevel=WARNING",
            "--exit-code-on-error=0",
        ]
        env = {
            **os.environ,
            "LOADTEST_PLAN": str(plan_path),
            "LOADTEST_LOG": str(log_path),
            "LOADTEST_MAX_REQUESTS": str(max_requests),
        }
        self.stdout.write(f"locust: {users} человек, {duration} с, не больше {max_requests} запросов; {base}")
        with (workdir / "locust.log").open("w") as out:
            try:
                subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=duration + 120)
            except subprocess.TimeoutExpired as exc:
                raise CommandError(f"locust не остановился сам за {duration + 120} с") from exc
        stats = Path(f"{prefix}_stats.csv")
        if not stats.exists():
            raise CommandError(f"locust не записал статистику: см. {workdir / 'locust.log'}")
        return stats

    def report(self, rows, total, result, users, duration, workdir) -> None:
        self.stdout.write(f"{'запрос':45} {'число':>7} {'ошибок':>7} {'медиана':>8} {'p95':>7} {'макс':>7}")
        for r in sorted(rows, key=lambda r: r["Name"]):
            self.stdout.write(
                f"{r['Name'][:45]:45} {r['Request Count']:>7} {r['Failure Count']:>7} {r['50%']:>8} "
                f"{r['95%']:>7} {float(r['Max Response Time']):>7.0f}"
            )
        requests, errors = int(total["Request Count"]), int(total["Failure Count"])
        rps = float(total["Requests/s"])
        p95 = total["95%"]
        lost = len(result.lost)
        for line in result.lost[:20]:
            self.stdout.write(f"  потеряно: {line}")
        self.stdout.write(
            f"подтверждённых сохранений {result.acknowledged} по {result.reports} отчётам, "
            f"конфликтов {result.conflicts}; журналы: {workdir}"
        )
        self.stdout.write(
            f"loadtest: users={users} seconds={duration} requests={requests} rps={rps:.1f} p95_ms={p95} "
            f"errors={errors} conflicts={result.conflicts} lost={lost} acknowledged={result.acknowledged}"
        )
        if p95 not in ("", "N/A") and float(p95) > TARGET_P95_MS:
            self.stdout.write(f"p95 выше цели {TARGET_P95_MS} мс")
        if errors or lost or result.conflicts or not result.acknowledged:
            raise CommandError(
                "нагрузочный тест не пройден: "
                + ("нет ни одного подтверждённого сохранения" if not result.acknowledged else "")
                + (f"ошибок {errors} " if errors else "")
                + (f"потеряно сохранений {lost} " if lost else "")
                + (f"конфликтов {result.conflicts}" if result.conflicts else "")
            )
