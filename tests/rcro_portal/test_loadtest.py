import importlib.util
import json
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import Role, User
from monitoring.models import ReportStatus, SchoolReport
from rcro_portal import loadtest
from rcro_portal.bench_data import ensure_data


def sent(school, token, version):
    return {"event": "sent", "school": school, "token": token, "version": version}


def ack(school, token, version):
    return {"event": "ack", "school": school, "token": token, "version": version}


def test_the_last_acknowledged_save_in_the_database_passes():
    records = [
        sent(1, "a", 1),
        ack(1, "a", 2),
        sent(1, "b", 2),
        ack(1, "b", 3),
        sent(2, "c", 5),
        ack(2, "c", 6),
    ]
    result = loadtest.verify(records, {1: ("b", 3), 2: ("c", 6)})
    assert result.lost == [] and result.acknowledged == 3 and result.reports == 2


def test_an_acknowledged_save_missing_from_the_database_is_lost():
    records = [sent(1, "a", 1), ack(1, "a", 2), sent(1, "b", 2), ack(1, "b", 3)]
    result = loadtest.verify(records, {1: ("a", 2)})  # the database went back to the earlier save
    assert len(result.lost) == 1 and "«b»" in result.lost[0]


def test_same_version_with_other_notes_is_lost():
    result = loadtest.verify([sent(1, "a", 1), ack(1, "a", 2)], {1: ("someone else", 2)})
    assert len(result.lost) == 1


def test_a_missing_report_is_lost():
    result = loadtest.verify([sent(7, "a", 1), ack(7, "a", 2)], {})
    assert len(result.lost) == 1 and "ОО 7" in result.lost[0]


def test_a_save_sent_after_the_last_acknowledgement_may_be_ahead():
    # The answer to "b" never came (the run stopped), but the server wrote it: not a loss.
    records = [sent(1, "a", 1), ack(1, "a", 2), sent(1, "b", 2)]
    assert loadtest.verify(records, {1: ("b", 3)}).lost == []
    # Ahead with a value nobody sent after the acknowledgement: lost.
    assert len(loadtest.verify(records, {1: ("x", 3)}).lost) == 1


def test_acknowledged_versions_must_grow():
    records = [sent(1, "a", 1), ack(1, "a", 2), sent(1, "b", 2), ack(1, "b", 2)]
    result = loadtest.verify(records, {1: ("b", 2)})
    assert len(result.lost) == 1 and "не возрастают" in result.lost[0]


def test_conflicts_are_counted_apart_and_reports_without_acks_are_not_checked():
    records = [
        sent(1, "a", 1),
        {"event": "conflict", "school": 1, "token": "a", "version": 1},
        sent(2, "z", 1),
    ]
    result = loadtest.verify(records, {})
    assert result.conflicts == 1 and result.lost == [] and result.reports == 0


def test_a_line_cut_short_is_ignored(tmp_path):
    path = tmp_path / "saves.jsonl"
    path.write_text(json.dumps(ack(1, "a", 2)) + "\n" + '{"event": "ack", "sch', encoding="utf-8")
    assert loadtest.read_log(path) == [ack(1, "a", 2)]
    assert loadtest.read_log(tmp_path / "missing.jsonl") == []


@pytest.mark.django_db
def test_the_command_needs_postgresql_and_redis(settings):
    settings.REDIS_URL = ""
    with pytest.raises(CommandError, match="PostgreSQL и Redis"):
        call_command("loadtest", users=1, duration=1)


@pytest.mark.django_db
def test_plan_gives_each_coordinator_an_editable_report_of_their_own_and_real_sessions():
    bench = ensure_data(200, 40)
    plan = loadtest.build_plan(bench, 5, run_id="t")
    again = loadtest.build_plan(bench, 5, run_id="t")  # idempotent: no new users
    assert User.objects.filter(username__startswith="b200-lt-").count() == 15
    schools = [c["school"] for c in again["coordinators"]]
    assert len(set(schools)) == 5
    statuses = set(
        SchoolReport.objects.filter(campaign=bench.campaign(), school_id__in=schools).values_list(
            "status", flat=True
        )
    )
    assert statuses <= {ReportStatus.DRAFT, ReportStatus.RETURNED}
    assert {u.role for u in User.objects.filter(username__startswith="b200-lt-")} == {
        Role.COORDINATOR,
        Role.SPECIALIST,
        Role.METHODIST,
    }
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = plan["coordinators"][0]["session"]
    assert client.get(plan["coordinators"][0]["edit"]).status_code == 200
    client.cookies[settings.SESSION_COOKIE_NAME] = plan["methodists"][0]["session"]
    assert client.get(plan["methodists"][0]["dashboard"]).status_code == 200
    client.cookies[settings.SESSION_COOKIE_NAME] = plan["specialists"][0]["session"]
    assert client.get(plan["specialists"][0]["dashboard"]).status_code == 200


def _form_fields():
    path = Path(__file__).resolve().parents[2] / "scripts" / "loadtest_forms.py"
    spec = importlib.util.spec_from_file_location("loadtest_forms", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.form_fields


@pytest.mark.django_db
def test_what_the_virtual_coordinator_sends_is_saved_and_verified():
    """The scenario's save without locust: the form as parsed from the page, posted to the
    background save with a token in the notes; the acknowledgement matches the database."""
    form_fields = _form_fields()
    bench = ensure_data(200, 40)
    entry = loadtest.build_plan(bench, 1, run_id="t")["coordinators"][0]
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = entry["session"]
    fields = form_fields(client.get(entry["edit"]).content.decode())
    names = [name for name, _ in fields]
    assert {"version", "notes", "csrfmiddlewaretoken"} <= set(names)
    version = int(dict(fields)["version"])
    records = [sent(entry["school"], "lt-t-1", version)]
    body = [(name, "lt-t-1" if name == "notes" else value) for name, value in fields]
    response = client.post(
        entry["autosave"], urlencode(body), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200 and response.json()["ok"], response.content[:300]
    records.append(ack(entry["school"], "lt-t-1", response.json()["version"]))
    result = loadtest.verify(records, loadtest.stored_saves(bench, [entry["school"]]))
    assert result.lost == [] and result.acknowledged == 1
    # A later save that the database does not hold is reported lost.
    records += [sent(entry["school"], "lt-t-2", version + 1), ack(entry["school"], "lt-t-2", version + 2)]
    assert len(loadtest.verify(records, loadtest.stored_saves(bench, [entry["school"]])).lost) == 1
