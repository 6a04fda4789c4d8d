from django.core.management.base import BaseCommand
from django.db.models import Count

from accounts.demo import DEMO_PASSWORD, seed_users
from monitoring.demo import explain_demo_warnings, seed_campaigns
from programmes.demo import seed_programmes
from rcro_portal.project_demo import seed_projects
from schools.demo import seed_organisations
from schools.models import Branch, Municipality, School


class Command(BaseCommand):
    help = (
        "Создаёт демонстрационные организации, пользователей и данные мониторинга "
        "(повторный запуск ничего не дублирует)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2017, help="зерно генератора данных")

    def handle(self, *args, seed, **options):
        schools = seed_organisations(seed=seed)
        coordinator_school = schools["tomsk-001"]
        tomsk = Municipality.objects.get(code="tomsk")
        users = seed_users(coordinator_school=coordinator_school, specialist_municipality=tomsk)
        for extra in self._extra_seeders():
            extra(seed=seed, schools=schools, users=users, stdout=self.stdout)

        counts = Municipality.objects.annotate(n=Count("schools")).filter(n__gt=0).count()
        self.stdout.write(
            f"Организаций: {School.objects.count()} в {counts} группах, филиалов: {Branch.objects.count()}."
        )
        self.stdout.write(
            self.style.SUCCESS(f"Демонстрационные пользователи (пароль у всех: {DEMO_PASSWORD}):")
        )
        for user in users:
            scope = user.school or user.municipality or "вся область"
            self.stdout.write(f"  {user.username:<12} {user.get_role_display():<18} {scope}")

    def _extra_seeders(self):
        """Seeders of the apps above, run after organisations and users exist."""
        return [seed_campaigns, seed_projects, seed_programmes, explain_demo_warnings]
