"""Time a vendor's batch upsert: ``python manage.py bench_vendor_upsert --schools 5000``.

Creates the schools it needs (codes BENCH-00001…), sends one batch, then the same batch again
(nothing changes) and a batch with every value changed; prints seconds and queries of each, and
removes what it created. Meant for PostgreSQL (one INSERT … ON CONFLICT per 1 000 rows)."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from schools.models import EdmsVendor, Municipality, School
from vendors.models import VendorCount
from vendors.services import vendor_counts_upsert

PREFIX = "BENCH-"


class Command(BaseCommand):
    help = "Замерить загрузку пакета данных разработчика (секунды и число запросов)."

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=5000)
        parser.add_argument("--keep", action="store_true", help="не удалять созданные организации и данные")

    def handle(self, *args, schools: int, keep: bool, **options):
        from django.test.utils import override_settings

        vendor = EdmsVendor.objects.order_by("sort_order").first()
        if vendor is None:
            raise CommandError("Нет ни одного разработчика СЭД в справочнике.")
        municipality = Municipality.objects.order_by("sort_order").first()
        existing = set(
            School.objects.filter(external_code__startswith=PREFIX).values_list("external_code", flat=True)
        )
        codes = [f"{PREFIX}{n:05d}" for n in range(1, schools + 1)]
        School.objects.bulk_create(
            [
                School(municipality=municipality, short_name=f"Школа для замера {code}", external_code=code)
                for code in codes
                if code not in existing
            ],
            batch_size=1000,
        )
        as_of = datetime.date.today()

        def batch(shift: int):
            return [
                {
                    "school_code": code,
                    "as_of": as_of.isoformat(),
                    "classes": 20 + shift,
                    "students_registered": 500 + shift,
                    "students_active": 400 + shift,
                    "teachers_registered": 40 + shift,
                    "teachers_active": 30 + shift,
                    "parents_registered": 700 + shift,
                    "parents_active": 300 + shift,
                }
                for code in codes
            ]

        self.stdout.write(f"База данных: {connection.vendor}; организаций в пакете: {schools}")
        with override_settings(VENDOR_BATCH_MAX=max(schools, 5000)):
            for title, items in (
                ("первая загрузка", batch(0)),
                ("повтор того же пакета", batch(0)),
                ("все значения изменены", batch(1)),
            ):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    result = vendor_counts_upsert(vendor=vendor, items=items, source="bench")
                    seconds = time.perf_counter() - started
                self.stdout.write(
                    f"{title}: {seconds:.2f} с, запросов {len(queries)}; "
                    f"создано {result.created}, изменено {result.updated}, без изменений {result.unchanged}"
                )
        if not keep:
            with transaction.atomic():
                VendorCount.objects.filter(school__external_code__startswith=PREFIX).delete()
                School.objects.filter(external_code__startswith=PREFIX).delete()
