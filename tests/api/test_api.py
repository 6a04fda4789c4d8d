import datetime

import pytest
from django.core.cache import cache
from django.core.management import call_command

from api.auth import MSG_KEY_INVALID
from api.models import ApiCall, ApiKey
from audit.models import AccessEvent
from reports.analytics import compute_figures
from schools.models import EdmsSystem
from vendors import services as vendor_services
from vendors.models import VendorCount

COUNTS = "/api/v1/vendor/counts/"


def item(code="A1", **over):
    data = {
        "school_code": code,
        "as_of": "2017-09-01",
        "classes": 20,
        "students_registered": 500,
        "students_active": 450,
        "teachers_registered": 40,
        "teachers_active": 38,
        "parents_registered": 600,
        "parents_active": 300,
    }
    data.update(over)
    return data


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()


def test_no_key_or_bad_key_is_refused(vendor_world, api_client):
    assert api_client().post(COUNTS, {"items": [item()]}, format="json").status_code == 401
    response = api_client("bad.key").post(COUNTS, {"items": [item()]}, format="json")
    assert response.status_code == 401 and response.json()["detail"] == MSG_KEY_INVALID


def test_revoked_key_is_refused(vendor_key, api_client):
    key, raw = vendor_key
    ApiKey.objects.filter(pk=key.pk).update(revoked=True)
    assert api_client(raw).get("/api/v1/vendor/requests/").status_code == 401


def test_push_twice_changes_nothing_and_is_audited(vendor_key, api_client):
    key, raw = vendor_key
    client = api_client(raw)
    first = client.post(COUNTS, {"items": [item()]}, format="json")
    assert first.status_code == 200 and first.json() == {"created": 1, "updated": 0, "unchanged": 0}
    second = client.post(COUNTS, {"items": [item()]}, format="json")
    assert second.json() == {"created": 0, "updated": 0, "unchanged": 1}
    assert VendorCount.objects.get().source == "ТЭШ"
    calls = list(ApiCall.objects.order_by("at"))
    assert [(c.key_name, c.method, c.status) for c in calls] == [("ТЭШ", "POST", 200)] * 2
    journal = list(AccessEvent.objects.filter(kind=AccessEvent.Kind.API_CALL).order_by("pk"))
    assert [e.username for e in journal] == ["ключ «ТЭШ»"] * 2
    assert all(COUNTS in e.detail and "200" in e.detail for e in journal)
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_key_sees_only_its_vendors_schools(vendor_key, api_client):
    key, raw = vendor_key
    response = api_client(raw).post(COUNTS, {"items": [item(), item("B1")]}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == [
        {"index": 1, "field": "school_code", "message": vendor_services.MSG_UNKNOWN_SCHOOL.format(code="B1")}
    ]
    assert VendorCount.objects.count() == 0


@pytest.mark.parametrize("payload", [[], {"items": "x"}, {"items": []}, {"nothing": 1}, "строка"])
def test_malformed_body_is_a_russian_400(vendor_key, api_client, payload):
    response = api_client(vendor_key[1]).post(COUNTS, payload, format="json")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_department_key_cannot_push_and_vendor_key_cannot_read_figures(
    vendor_key, department_key, api_client
):
    assert api_client(department_key[1]).post(COUNTS, {"items": [item()]}, format="json").status_code == 403
    assert api_client(vendor_key[1]).get("/api/v1/department/campaigns/2017/figures/").status_code == 403


def test_rate_limit_per_key(vendor_key, api_client, settings, monkeypatch):
    from api.throttling import ApiKeyRateThrottle

    monkeypatch.setattr(ApiKeyRateThrottle, "THROTTLE_RATES", {"api_key": "2/min"})
    client = api_client(vendor_key[1])
    statuses = [client.get("/api/v1/vendor/requests/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_vendor_reads_and_answers_its_requests(vendor_world, vendor_key, api_client):
    w = vendor_world
    mine = vendor_services.vendor_request_create(
        school=w.school_a1,
        system=EdmsSystem.objects.get(code="tesh"),
        module="",
        kind="problem",
        text="Звонки",
        user=w.coordinator_a,
    )
    other = vendor_services.vendor_request_create(
        school=w.school_b1,
        system=EdmsSystem.objects.get(code="dnevnik"),
        module="",
        kind="problem",
        text="Чужое",
        user=w.coordinator_b,
    )
    client = api_client(vendor_key[1])
    listed = client.get("/api/v1/vendor/requests/").json()
    assert [r["id"] for r in listed] == [mine.pk]
    assert (
        client.post(
            f"/api/v1/vendor/requests/{other.pk}/answer/", {"state": "done"}, format="json"
        ).status_code
        == 404
    )
    bad = client.post(f"/api/v1/vendor/requests/{mine.pk}/answer/", {"state": "planned"}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "state"
    ok = client.post(
        f"/api/v1/vendor/requests/{mine.pk}/answer/",
        {"state": "planned", "planned_on": "2018-01-15", "answer": "В январе"},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["state"] == "planned"
    mine.refresh_from_db()
    assert mine.answered_via == "ТЭШ" and mine.planned_on == datetime.date(2018, 1, 15)


def test_department_figures_match_the_analytic_report(vendor_world, department_key, api_client):
    w = vendor_world
    client = api_client(department_key[1])
    assert [c["slug"] for c in client.get("/api/v1/department/campaigns/").json()] == ["2017"]
    data = client.get("/api/v1/department/campaigns/2017/figures/").json()
    figures = compute_figures(w.campaign)
    assert data["region"]["orgs"] == figures["orgs_total"]
    assert data["region"]["students_total"] == figures["students_total"]
    assert data["region"]["parents_edms"] == figures["parents_using_edms"]
    assert [m["name"] for m in data["municipalities"]] == [
        m["municipality"] for m in figures["by_municipality"]
    ]
    one = client.get("/api/v1/department/campaigns/2017/figures/?municipality=tomsk").json()
    assert one["region"]["orgs"] == compute_figures(w.campaign, municipality=w.mun_x)["orgs_total"]
    assert client.get("/api/v1/department/campaigns/nope/figures/").status_code == 404


def test_command_prints_key_once(vendor_world, capsys, api_client):
    call_command("create_vendor_key", "--vendor", "ТЭШ")
    raw = capsys.readouterr().out.strip()
    assert ApiKey.objects.get().vendor.short_name == "ТЭШ"
    assert api_client(raw).get("/api/v1/vendor/requests/").status_code == 200


def test_schema_declares_key_and_docs_are_local(vendor_world, client):
    schema = client.get("/api/schema/?format=json").json()
    assert schema["components"]["securitySchemes"]["ApiKeyAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": schema["components"]["securitySchemes"]["ApiKeyAuth"]["description"],
    }
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs and "https://" not in docs


def test_key_page_issue_shows_once_and_revokes(vendor_world, client_for):
    w = vendor_world
    assert client_for(w.specialist_x).get("/api/keys/").status_code == 403
    client = client_for(w.methodist)
    response = client.post("/api/keys/", {"kind": "department", "name": "Департамент"})
    key = ApiKey.objects.get()
    assert response.status_code == 200 and key.prefix in response.content.decode()
    assert "issued-key" not in client.get("/api/keys/").content.decode()
    client.post(f"/api/keys/{key.pk}/revoke/")
    key.refresh_from_db()
    assert key.revoked


def test_bench_command_reports_seconds_and_queries_and_cleans_up(vendor_world, capsys):
    call_command("bench_vendor_upsert", "--schools", "3")
    out = capsys.readouterr().out
    assert "повтор того же пакета" in out and "без изменений 3" in out and "запросов" in out
    assert not VendorCount.objects.exists()
