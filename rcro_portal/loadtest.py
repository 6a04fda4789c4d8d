"""The load test's users and sessions, and the check that no acknowledged save was lost.

The users act on the benchmark's data set (``bench_data``): coordinators of distinct schools whose
reports are drafts or returned (so no two virtual coordinators write the same report), specialists
of several municipalities (the largest first) and methodists. They are created once per data set
(usernames ``b<N>-lt-…``) with one shared password hash, and each run signs them in with real
sessions in the configured session store, before the measured window.

The virtual coordinators write what they sent and what the server acknowledged into a log of JSON
lines; :func:`verify` compares the last acknowledged save of every report with the database.
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User
from monitoring.models import MunicipalityReview, MunicipalityState, ReportStatus, SchoolReport
from rcro_portal.bench_data import PASSWORD, BenchSet
from schools.models import Municipality

REVIEW_PAGES = 20  # submitted reports a specialist opens, per municipality
METHODIST_MUNICIPALITIES = 20  # municipality dashboards the methodists open
LOGIN_BACKEND = "accounts.backends.EmailOrUsernameBackend"

MSG_TOO_FEW_REPORTS = (
    "В наборе данных только {found} отчётов в состоянии «черновик» или «возвращён» — "
    "для {users} координаторов нужно больше: увеличьте SCHOOLS или уменьшите USERS."
)


class LoadTestError(Exception):
    """The load test cannot be prepared; the message is for the person running it."""


def _username(bench: BenchSet, role: str, index: int) -> str:
    return f"{bench.tag}-lt-{role}-{index:03d}"


def _editable_reports(bench: BenchSet, count: int) -> list[SchoolReport]:
    campaign = bench.campaign("current")
    locked = MunicipalityReview.objects.filter(
        campaign=campaign, state__in=[MunicipalityState.SUBMITTED, MunicipalityState.ACCEPTED]
    )
    return list(
        SchoolReport.objects.filter(campaign=campaign, status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED])
        .exclude(school__municipality__in=locked.values("municipality_id"))
        .order_by("school_id")
        .only("pk", "school_id")[:count]
    )


def ensure_users(bench: BenchSet, users: int) -> dict[str, list[User]]:
    """``users`` coordinators (distinct schools), specialists and methodists; idempotent."""
    reports = _editable_reports(bench, users)
    if len(reports) < users:
        raise LoadTestError(MSG_TOO_FEW_REPORTS.format(found=len(reports), users=users))
    municipalities = list(
        Municipality.objects.filter(code__startswith=f"{bench.tag}-")
        .order_by("code")
        .values_list("pk", flat=True)
    )
    wanted: list[User] = []
    for i, report in enumerate(reports):
        wanted.append(
            User(username=_username(bench, "coord", i), role=Role.COORDINATOR, school_id=report.school_id)
        )
    for i in range(users):
        municipality = municipalities[i % len(municipalities)]
        wanted.append(
            User(username=_username(bench, "spec", i), role=Role.SPECIALIST, municipality_id=municipality)
        )
    for i in range(users):
        wanted.append(User(username=_username(bench, "meth", i), role=Role.METHODIST))
    existing = {u.username: u for u in User.objects.filter(username__startswith=f"{bench.tag}-lt-")}
    for user in wanted:  # the set's drafts may have changed since: point them at today's schools
        old = existing.get(user.username)
        if old is not None and (old.school_id, old.municipality_id) != (user.school_id, user.municipality_id):
            User.objects.filter(pk=old.pk).update(
                school_id=user.school_id, municipality_id=user.municipality_id
            )
    missing = [u for u in wanted if u.username not in existing]
    if missing:
        password = make_password(PASSWORD)  # one hash for all: hashing each would take minutes
        for user in missing:
            user.password = password
        User.objects.bulk_create(missing, batch_size=1000)
    by_name = {u.username: u for u in User.objects.filter(username__in=[u.username for u in wanted])}
    roles: dict[str, list[User]] = {"coordinators": [], "specialists": [], "methodists": []}
    for user in wanted:
        key = {"coord": "coordinators", "spec": "specialists", "meth": "methodists"}[
            user.username.split("-")[-2]
        ]
        roles[key].append(by_name[user.username])
    return roles


def _session(user: User) -> str:
    """A signed-in session in the configured store (the login itself is not measured)."""
    client = Client()
    client.force_login(user, backend=LOGIN_BACKEND)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def build_plan(bench: BenchSet, users: int, *, run_id: str) -> dict:
    """What the virtual users need: sessions, the pages they open, the run's token prefix."""
    roles = ensure_users(bench, users)
    campaign = bench.campaign("current")
    slug = campaign.slug
    submitted: dict[int, list[int]] = {}
    for school_id, municipality_id in (
        SchoolReport.objects.filter(campaign=campaign, status=ReportStatus.SUBMITTED)
        .order_by("school_id")
        .values_list("school_id", "school__municipality_id")
    ):
        pages = submitted.setdefault(municipality_id, [])
        if len(pages) < REVIEW_PAGES:
            pages.append(school_id)
    municipalities = list(
        Municipality.objects.filter(code__startswith=f"{bench.tag}-")
        .order_by("code")
        .values_list("pk", flat=True)[:METHODIST_MUNICIPALITIES]
    )
    return {
        "run_id": run_id,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "coordinators": [
            {
                "session": _session(user),
                "school": user.school_id,
                "edit": reverse("monitoring:report_edit", args=[slug, user.school_id]),
                "autosave": reverse("monitoring:report_autosave", args=[slug, user.school_id]),
            }
            for user in roles["coordinators"]
        ],
        "specialists": [
            {
                "session": _session(user),
                "dashboard": reverse("monitoring:municipality_dashboard", args=[slug, user.municipality_id]),
                "reports": [
                    reverse("monitoring:report", args=[slug, school_id])
                    for school_id in submitted.get(user.municipality_id or 0, [])
                ],
            }
            for user in roles["specialists"]
        ],
        "methodists": [
            {
                "session": _session(user),
                "dashboard": reverse("monitoring:dashboard", args=[slug]),
                "municipalities": [
                    reverse("monitoring:municipality_dashboard", args=[slug, pk]) for pk in municipalities
                ],
            }
            for user in roles["methodists"]
        ],
    }


# --- verification ------------------------------------------------------------------------------


@dataclass
class Verification:
    reports: int = 0  # reports with at least one acknowledged save
    acknowledged: int = 0
    conflicts: int = 0
    lost: list[str] = field(default_factory=list)


def read_log(path: Path) -> list[dict]:
    """The virtual coordinators' log; a line cut short by a killed process is ignored."""
    records: list[dict] = []
    if not path.exists():
        return records
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:
            continue
    return records


def verify(records: Iterable[Mapping], stored: Mapping[int, tuple[str, int]]) -> Verification:
    """Every report's last acknowledged save must be what the database holds.

    ``records`` are the log's lines in order: ``{"event": "sent" | "ack" | "conflict" | "failed",
    "school": pk, "token": …, "version": …}``; ``stored`` maps a school to its report's
    ``(notes, version)``. The database may be ahead of the last acknowledgement only by a save that
    was sent afterwards and whose answer never came (its token then is in the notes).
    """
    result = Verification()
    by_school: dict[int, list[Mapping]] = {}
    for record in records:
        by_school.setdefault(int(record["school"]), []).append(record)
    for school, events in sorted(by_school.items()):
        result.conflicts += sum(1 for e in events if e["event"] == "conflict")
        acks = [i for i, e in enumerate(events) if e["event"] == "ack"]
        if not acks:
            continue
        result.reports += 1
        result.acknowledged += len(acks)
        versions = [int(events[i]["version"]) for i in acks]
        if any(b <= a for a, b in zip(versions, versions[1:], strict=False)):
            result.lost.append(f"ОО {school}: подтверждённые версии не возрастают: {versions}")
        last = events[acks[-1]]
        later = {e["token"] for e in events[acks[-1] + 1 :] if e["event"] == "sent"}
        if school not in stored:
            result.lost.append(f"ОО {school}: отчёта нет в базе, подтверждено «{last['token']}»")
            continue
        notes, version = stored[school]
        if version == int(last["version"]) and notes == last["token"]:
            continue
        if version > int(last["version"]) and notes in later:
            continue
        result.lost.append(
            f"ОО {school}: подтверждено «{last['token']}» (версия {last['version']}), "
            f"в базе «{notes[:60]}» (версия {version})"
        )
    return result


def stored_saves(bench: BenchSet, schools: Iterable[int]) -> dict[int, tuple[str, int]]:
    rows = SchoolReport.objects.filter(campaign=bench.campaign("current"), school_id__in=list(schools))
    return {
        school: (notes, version)
        for school, notes, version in rows.values_list("school_id", "notes", "version")
    }
