from django.core.management.base import BaseCommand, CommandError

from monitoring.models import Campaign
from projects.models import Project
from projects.selectors import project_list
from reports.reconciliation import reconciliation, reconciliation_counts


class Command(BaseCommand):
    help = (
        "Сверка реестра ПВП с отчётами мониторинга: печатает расхождения "
        "(графа 21 и система в отчёте против действующих соглашений)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, help="код мониторинга, например 2017")
        parser.add_argument("--project", type=int, help="id проекта (по умолчанию — последний)")

    def handle(self, *args, campaign, project=None, **options):
        try:
            campaign_obj = Campaign.objects.get(slug=campaign)
        except Campaign.DoesNotExist as exc:
            raise CommandError(f"Мониторинг с кодом «{campaign}» не найден.") from exc
        if project is None:
            project_obj = project_list().first()
            if project_obj is None:
                raise CommandError("Проект не найден.")
        else:
            try:
                project_obj = Project.objects.get(pk=project)
            except Project.DoesNotExist as exc:
                raise CommandError(f"Проект с id {project} не найден.") from exc

        rows = reconciliation(project_obj, campaign_obj)
        self.stdout.write(
            f"Сверка реестра ПВП на {campaign_obj.as_of:%d.%m.%Y} с мониторингом «{campaign_obj.title}»"
        )
        for row in rows:
            self.stdout.write(f"{row.municipality.name}\t{row.school.short_name}\t{row.kind}\t{row.message}")
        for item in reconciliation_counts(rows):
            self.stdout.write(f"  {item['label']}: {item['count']}")
        self.stdout.write(self.style.SUCCESS(f"Расхождений: {len(rows)}."))
