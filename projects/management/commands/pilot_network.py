from django.core.management.base import BaseCommand, CommandError

from core.command_args import parse_date
from projects.analytics import network_changes
from projects.models import Project


class Command(BaseCommand):
    help = "Сеть ПВП за период: сколько было на начало, сколько вступило и вышло (и почему), сколько стало — по системам."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="начало периода")
        parser.add_argument("--to", dest="end", required=True, help="конец периода")
        parser.add_argument("--project", type=int, help="id проекта (по умолчанию — последний)")

    def handle(self, *args, start, end, project, **options):
        qs = Project.objects.order_by("-period_end", "-pk")
        project_obj = qs.filter(pk=project).first() if project else qs.first()
        if project_obj is None:
            raise CommandError("Проект не найден.")
        start_date, end_date = parse_date(start), parse_date(end)
        if end_date < start_date:
            raise CommandError("Конец периода раньше начала.")
        c = network_changes(project_obj, start_date, end_date)
        self.stdout.write(f"На {start_date:%d.%m.%Y}: {c['size_start']}")
        self.stdout.write(f"Вступили: {c['joined']}" + _by_system(c["joined_by_system"]))
        self.stdout.write(f"Вышли: {c['left']}" + _by_system(c["left_by_system"]))
        for row in c["left_by_reason"]:
            self.stdout.write(f"  {row['reason'] or 'причина не указана'}: {row['count']}")
        self.stdout.write(f"На {end_date:%d.%m.%Y}: {c['size_end']}" + _by_system(c["end_by_system"]))


def _by_system(rows) -> str:
    """«(ТЭШ — 149, Дневник.ру — 7, Сетевой город — 4)»: installations of one system are summed."""
    totals: dict[str, int] = {}
    for row in rows:
        totals[row["short_name"]] = totals.get(row["short_name"], 0) + row["count"]
    return (" (" + ", ".join(f"{name} — {n}" for name, n in totals.items()) + ")") if totals else ""
