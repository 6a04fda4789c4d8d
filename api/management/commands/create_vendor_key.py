from django.core.management.base import BaseCommand, CommandError

from api.models import ApiKey
from api.services import api_key_issue
from schools.models import EdmsVendor


class Command(BaseCommand):
    help = "Выдать ключ API разработчику СЭД (или Департаменту: --department) и напечатать его один раз."

    def add_arguments(self, parser):
        parser.add_argument("--vendor", help="наименование или краткое наименование разработчика")
        parser.add_argument(
            "--department", action="store_true", help="ключ Департамента (чтение показателей)"
        )
        parser.add_argument("--name", default="", help="название ключа (по умолчанию — имя разработчика)")

    def handle(self, *args, vendor=None, department=False, name="", **options):
        if department:
            key, raw = api_key_issue(kind=ApiKey.Kind.DEPARTMENT, name=name or "Департамент")
        else:
            if not vendor:
                raise CommandError("Укажите --vendor или --department.")
            found = (
                EdmsVendor.objects.filter(short_name__iexact=vendor).first()
                or EdmsVendor.objects.filter(name__iexact=vendor).first()
            )
            if found is None:
                known = ", ".join(EdmsVendor.objects.values_list("short_name", flat=True))
                raise CommandError(f"Разработчик «{vendor}» не найден. Известны: {known}.")
            key, raw = api_key_issue(kind=ApiKey.Kind.VENDOR, name=name or found.short_name, vendor=found)
        self.stdout.write(raw)
