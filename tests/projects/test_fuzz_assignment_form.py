"""Arbitrary values in every field of the pilot site's assignment report: a validation result,
never an exception; counts stay within the documented range."""

from hypothesis import given
from hypothesis import strategies as st

from core.bounds import COUNT_MAX
from projects.models import ASSIGNMENT_COUNT_FIELDS, AssignmentReport
from projects.services import ASSIGNMENT_VALUE_FIELDS
from tests.fuzz import FUZZ_SETTINGS, hostile_value, post_form
from tests.projects.conftest import make_report
from tests.projects.test_views import url


def test_assignment_form_answers_every_input_with_a_validation_result(world, sites, client_for):
    report = make_report(sites[0])
    client = client_for(world.coordinator_a)
    edit = url("assignment_edit", report.pk)
    fields = st.sampled_from([*ASSIGNMENT_VALUE_FIELDS, "version"])

    @FUZZ_SETTINGS
    @given(changes=st.dictionaries(fields, hostile_value, min_size=1, max_size=4))
    def post(changes):
        fresh = AssignmentReport.objects.get(pk=report.pk)
        data = {"version": fresh.version, **changes}
        response = post_form(client, edit, data)
        assert response.status_code in (200, 302, 409, 422), response.status_code
        fresh = AssignmentReport.objects.get(pk=report.pk)
        assert all(0 <= getattr(fresh, n) <= COUNT_MAX for n in ASSIGNMENT_COUNT_FIELDS)
        assert "\x00" not in fresh.best_practices_links

    post()
