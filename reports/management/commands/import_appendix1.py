from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Role, User
from monitoring.models import Campaign
from reports.excel.importer import import_appendix1
from schools.command_args import find_municipality


class Command(BaseCommand):
    help = (
        "Загружает заполненную таблицу «Приложение 1» (.xlsx) в мониторинг. При любой ошибке ничего "
        "не записывается, а команда завершается с ненулевым кодом."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="путь к файлу .xlsx")
        parser.add_argument("--campaign", required=True, help="код мониторинга")
        parser.add_argument("--municipality", help="МО, если в таблице не заполнена графа 2")
        parser.add_argument(
            "--create-missing", action="store_true", help="регистрировать неизвестные организации и филиалы"
        )
        parser.add_argument("--dry-run", action="store_true", help="только проверить, ничего не записывать")
        parser.add_argument("--user", help="от чьего имени (по умолчанию — системная загрузка РЦРО)")

    def handle(self, *args, file, campaign, municipality, create_missing, dry_run, user, **options):
        campaign_obj = Campaign.objects.filter(slug=campaign).first()
        if campaign_obj is None:
            raise CommandError(f"Мониторинг «{campaign}» не найден.")
        municipality_obj = find_municipality(municipality) if municipality else None
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"Пользователь «{user}» не найден.")
        else:
            actor = (
                User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
                or User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
            )
            if actor is None:
                raise CommandError("Нет активного администратора: укажите --user.")
        path = Path(file)
        if not path.exists():
            raise CommandError(f"Файл {file} не найден.")
        with path.open("rb") as fileobj:
            result = import_appendix1(
                fileobj,
                user=actor,
                campaign=campaign_obj,
                file_name=path.name,
                municipality=municipality_obj,
                create_missing=create_missing,
                dry_run=dry_run,
            )
        self.stdout.write(result.summary())
        if result.new_organisations:
            self.stdout.write(f"Будут зарегистрированы ({len(result.new_organisations)}):")
            for new in result.new_organisations:
                what = f"{new.name}, филиал «{new.branch}»" if new.branch else new.name
                self.stdout.write(f"  строка {new.row}: {new.municipality}: {what}")
        if result.respelled:
            self.stdout.write(f"Найдены под другим написанием ({len(result.respelled)}):")
            for r in result.respelled:
                self.stdout.write(f"  строка {r.row}, графа {r.column}: «{r.written}» → «{r.known}»")
        if result.missing:
            self.stdout.write(
                f"Нет в таблице, хотя участвовали в прошлом мониторинге ({len(result.missing)}):"
            )
            for m in result.missing:
                self.stdout.write(f"  {m.municipality}: {m.name}" + (f" ({m.note})" if m.note else ""))
        for warning in result.warnings:
            self.stdout.write(
                f"  предупреждение: строка {warning.row}, графа {warning.column or '—'}: {warning.message}"
            )
        for error in result.errors:
            self.stderr.write(
                f"  ошибка: строка {error.row or '—'}, графа {error.column or '—'}: {error.message}"
            )
        if result.errors:
            rows = ", ".join(map(str, result.error_rows))
            self.stderr.write(f"Строки с ошибками: {rows or '—'}.")
            raise CommandError(f"Ошибок: {len(result.errors)}. Ничего не записано.")
        if dry_run:
            self.stdout.write("Проверка завершена, ничего не записано (--dry-run).")
        else:
            self.stdout.write(self.style.SUCCESS("Загрузка завершена."))
