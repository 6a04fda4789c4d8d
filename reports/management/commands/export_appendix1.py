from django.core.management.base import BaseCommand, CommandError

from accounts.models import Role, User
from monitoring.basis import DEFAULT_BASIS, Basis
from monitoring.models import Campaign
from reports.excel.export import write_appendix1
from schools.command_args import find_municipality


class Command(BaseCommand):
    help = "Выгружает таблицу «Приложение 1» мониторинга в файл Excel."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, help="код мониторинга")
        parser.add_argument("--municipality", help="наименование МО (по умолчанию — вся область)")
        parser.add_argument("--out", required=True, help="путь к файлу .xlsx")
        parser.add_argument(
            "--basis",
            choices=Basis.values,
            default=DEFAULT_BASIS,
            help="accepted — только принятые отчёты (по умолчанию); submitted — и отчёты на проверке",
        )

    def handle(self, *args, campaign, municipality, out, basis, **options):
        campaign_obj = Campaign.objects.filter(slug=campaign).first()
        if campaign_obj is None:
            raise CommandError(f"Мониторинг «{campaign}» не найден.")
        municipality_obj = None
        if municipality:
            municipality_obj = find_municipality(municipality)
        # The command runs with the whole region's scope.
        region = User(role=Role.ADMIN, is_active=True)
        count = write_appendix1(
            out, user=region, campaign=campaign_obj, municipality=municipality_obj, basis=basis
        )
        self.stdout.write(
            self.style.SUCCESS(f"Выгружено организаций ({Basis(basis).label}): {count}. Файл: {out}")
        )
