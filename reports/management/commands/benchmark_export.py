import tempfile
import time
import tracemalloc
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from monitoring.models import Campaign
from reports.analytics import compute_figures
from reports.excel.export import write_appendix1
from schools.models import Municipality


class Command(BaseCommand):
    help = (
        "Замеряет выгрузку Приложения 1 и расчёт показателей справки: время, число SQL-запросов и "
        "пик памяти Python для МО разного размера и для всей области (память и число запросов не "
        "должны расти вместе с числом организаций)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--campaign", help="код мониторинга (по умолчанию — последний)")

    def handle(self, *args, campaign, **options):
        qs = Campaign.objects.select_related("previous")
        campaign_obj = qs.filter(slug=campaign).first() if campaign else qs.order_by("-as_of").first()
        if campaign_obj is None:
            raise CommandError("Мониторинг не найден.")
        region = User(role=Role.ADMIN, is_active=True)
        sizes = (
            Municipality.objects.filter(schools__campaigns=campaign_obj)
            .annotate(n=Count("schools", distinct=True))
            .order_by("n")
        )
        scopes = [("наименьший МО", sizes.first()), ("наибольший МО", sizes.last()), ("вся область", None)]
        self.stdout.write(
            f"{'охват':<16} {'ОО':>5} {'выгрузка, с':>12} {'запросов':>9} {'пик памяти, МБ':>15} {'справка, с':>11} {'запросов':>9}"
        )
        with tempfile.TemporaryDirectory() as tmp:
            for label, municipality in scopes:
                path = Path(tmp) / "bench.xlsx"
                tracemalloc.start()
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as export_queries:
                    count = write_appendix1(
                        path, user=region, campaign=campaign_obj, municipality=municipality
                    )
                export_seconds = time.perf_counter() - started
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as report_queries:
                    compute_figures(campaign_obj, municipality=municipality, include_unapproved=True)
                report_seconds = time.perf_counter() - started
                self.stdout.write(
                    f"{label:<16} {count:>5} {export_seconds:>12.2f} {len(export_queries):>9} "
                    f"{peak / 2**20:>15.1f} {report_seconds:>11.2f} {len(report_queries):>9}"
                )
