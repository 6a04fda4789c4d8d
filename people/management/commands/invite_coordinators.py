"""Invite the coordinators of a campaign's schools by the e-mails in their reports."""

from django.core.management.base import BaseCommand, CommandError

from core.russian import agree
from monitoring.models import Campaign
from people.services import coordinators_invite
from schools.command_args import find_municipality

MSG_NO_CAMPAIGN = "Мониторинг «{slug}» не найден."


class Command(BaseCommand):
    help = (
        "Создать учётные записи координаторов ОО и отправить приглашения на адреса из отчётов "
        "мониторинга (графа 23, иначе графа 7). Повторный запуск никого не приглашает дважды."
    )

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, help="код мониторинга")
        parser.add_argument("--municipality", help="только организации этого МО (название или код)")
        parser.add_argument("--dry-run", action="store_true", help="только показать, кому будут отправлены")

    def handle(self, *args, campaign, municipality=None, dry_run=False, **options):
        found = Campaign.objects.filter(slug=campaign).first()
        if found is None:
            raise CommandError(MSG_NO_CAMPAIGN.format(slug=campaign))
        mun = find_municipality(municipality) if municipality else None
        summary = coordinators_invite(campaign=found, user=None, municipality=mun, dry_run=dry_run)
        invitations = agree(len(summary.invited), "приглашение")
        if dry_run:
            self.stdout.write(f"Проверка, ничего не записано. Будет отправлено: {invitations}.")
        else:
            self.stdout.write(f"Отправлено: {invitations}.")
        for candidate in summary.invited:
            self.stdout.write(
                f"  {candidate.school.municipality.name}: {candidate.school.short_name} — {candidate.contact.email}"
            )
        self.stdout.write(
            "Уже есть координатор или отправленное приглашение: "
            + agree(len(summary.already), "организация")
            + "."
        )
        if summary.no_email:
            self.stdout.write(
                "Нет пригодного e-mail в отчёте (графы 23 и 7): "
                + agree(len(summary.no_email), "организация")
                + ":"
            )
            for candidate in summary.no_email:
                self.stdout.write(f"  {candidate.school.municipality.name}: {candidate.school.short_name}")
        if summary.skipped:
            self.stdout.write("Пропущено: " + agree(len(summary.skipped), "организация") + ":")
            for candidate, reason in summary.skipped:
                self.stdout.write(f"  {candidate.school.short_name} ({candidate.contact.email}): {reason}")
