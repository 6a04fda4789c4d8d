"""Arbitrary values in every field of the Appendix 1 form, saved as a draft and with the checks:
every answer is a validation result, never an exception; nothing dangerous is stored."""

from hypothesis import given
from hypothesis import strategies as st

from core.bounds import COUNT_MAX
from monitoring.models import COUNT_FIELDS, SchoolReport
from monitoring.selectors import VALUE_FIELDS
from tests.fuzz import FUZZ_SETTINGS, hostile_value, post_form
from tests.monitoring.test_views import edit_url, form_data, open_form

EXTRA_FIELDS = (
    "explain__x",
    "confirm_all",
    "event-0-id",
    "event-0-title",
    "event-0-students",
    "event-0-teachers",
    "branch-0-system",
    "branch-0-responsible_name",
    "branch-0-responsible_phone",
    "branch-0-responsible_email",
)
FIELDS = st.sampled_from([*VALUE_FIELDS, *EXTRA_FIELDS])


def _stored_safely(report: SchoolReport) -> None:
    texts = [str(getattr(report, n)) for n in VALUE_FIELDS if n not in COUNT_FIELDS]
    texts += [str(report.raw_input), str(report.warning_notes)]
    texts += [e.title for e in report.events.all()]
    texts += [r.responsible_name for r in report.branch_rows.all()]
    assert not any("\x00" in t for t in texts)
    for name in COUNT_FIELDS:
        value = getattr(report, name)
        assert value is None or -COUNT_MAX <= value <= COUNT_MAX


def test_report_form_answers_every_input_with_a_validation_result(client_for, world, campaigns):
    _, current, _ = campaigns
    client, report = open_form(client_for, world, current)
    url = edit_url(current, world.school_a1)

    @FUZZ_SETTINGS
    @given(
        changes=st.dictionaries(FIELDS, hostile_value, min_size=1, max_size=4),
        action=st.sampled_from(["draft", "save"]),
    )
    def post(changes, action):
        fresh = SchoolReport.objects.get(pk=report.pk)
        data = form_data(fresh, action=action, **{"event-TOTAL_FORMS": 1, "event-INITIAL_FORMS": 0})
        data.update(changes)
        response = post_form(client, url, data)
        assert response.status_code in (200, 302, 400, 409, 422), response.status_code
        _stored_safely(SchoolReport.objects.get(pk=report.pk))

    post()
    assert client.get(url).status_code == 200
