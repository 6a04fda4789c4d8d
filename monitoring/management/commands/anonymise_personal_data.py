from django.core.management.base import BaseCommand, CommandError

from monitoring.retention import personal_data_anonymise

MSG_YEARS = "--older-than-years должно быть целым числом не меньше 1."


class Command(BaseCommand):
    help = (
        "Обезличить контакты (графы 6, 7, 22, 23 и строки филиалов) в мониторингах, дата сбора "
        "которых старше N лет; также в истории изменений. Повторный запуск ничего не меняет."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than-years", type=int, required=True, dest="years")
        parser.add_argument("--dry-run", action="store_true", help="только показать, что будет изменено")

    def handle(self, *args, years, dry_run, **options):
        if years < 1:
            raise CommandError(MSG_YEARS)
        result = personal_data_anonymise(older_than_years=years, dry_run=dry_run)
        names = ", ".join(str(c) for c in result.campaigns) or "нет"
        prefix = "Будет обезличено" if dry_run else "Обезличено"
        self.stdout.write(f"Мониторинги старше {years} лет: {names}.")
        self.stdout.write(
            f"{prefix}: отчётов {result.reports}, строк филиалов {result.branch_rows}, "
            f"записей истории {result.history_rows}, записей журнала проверки {result.journal_entries}."
        )
