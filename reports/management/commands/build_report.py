from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import russian as ru
from monitoring.models import Campaign
from reports.services import build_report_files
from schools.command_args import find_municipality


class Command(BaseCommand):
    help = "Формирует аналитическую справку (report.json, report.docx, report.xlsx) в каталоге."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True)
        parser.add_argument("--municipality", help="наименование МО (по умолчанию — вся область)")
        parser.add_argument(
            "--include-unapproved", action="store_true", help="учитывать и отчёты на проверке"
        )
        parser.add_argument("--out-dir", required=True)

    def handle(self, *args, campaign, municipality, include_unapproved, out_dir, **options):
        campaign_obj = Campaign.objects.select_related("previous").filter(slug=campaign).first()
        if campaign_obj is None:
            raise CommandError(f"Мониторинг «{campaign}» не найден.")
        municipality_obj = find_municipality(municipality) if municipality else None
        figures = build_report_files(
            campaign=campaign_obj,
            municipality=municipality_obj,
            include_unapproved=include_unapproved,
            out_dir=Path(out_dir),
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Организаций учтено: {ru.num(figures['orgs_total'])}; используют СЭД — "
                f"{ru.pct(figures['orgs_using_edms_pct'])}. "
                f"Файлы: {Path(out_dir) / 'report.docx'}, report.xlsx, report.json."
            )
        )
