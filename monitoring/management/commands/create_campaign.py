from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from core.command_args import parse_date
from monitoring.models import Campaign
from monitoring.services import campaign_create


class Command(BaseCommand):
    help = "Создаёт мониторинг (по умолчанию участвуют все действующие организации)."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="код мониторинга, например 2017")
        parser.add_argument("--title", required=True)
        parser.add_argument("--as-of", required=True, help="по состоянию на (ГГГГ-ММ-ДД)")
        parser.add_argument("--deadline", required=True, help="срок предоставления (ГГГГ-ММ-ДД)")
        parser.add_argument("--academic-year", help="учебный год, например 2017-2018 (по умолчанию из даты)")
        parser.add_argument("--letter-number", default="")
        parser.add_argument("--letter-date")
        parser.add_argument("--previous", help="код предыдущего мониторинга")
        parser.add_argument("--open", action="store_true", help="сразу открыть сбор данных")

    def handle(self, *args, **opts):
        as_of = parse_date(opts["as_of"])
        start = as_of.year if as_of.month >= 7 else as_of.year - 1
        previous = None
        if opts["previous"]:
            previous = Campaign.objects.filter(slug=opts["previous"]).first()
            if previous is None:
                raise CommandError(f"Мониторинг «{opts['previous']}» не найден.")
        try:
            campaign = campaign_create(
                slug=opts["slug"],
                title=opts["title"],
                academic_year=opts["academic_year"] or f"{start}-{start + 1}",
                as_of=as_of,
                deadline=parse_date(opts["deadline"]),
                letter_number=opts["letter_number"],
                letter_date=parse_date(opts["letter_date"]) if opts["letter_date"] else None,
                previous=previous,
                open_now=opts["open"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        except IntegrityError as exc:
            raise CommandError(f"Не удалось создать мониторинг: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Мониторинг «{campaign.slug}» создан ({campaign.get_status_display()}), "
                f"участников: {campaign.participants.count()}."
            )
        )
