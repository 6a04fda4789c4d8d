"""Every error and warning rule of the Appendix 1 checks."""

import pytest

from monitoring import rules
from monitoring.rules import check_report
from schools.models import EdmsSystem
from tests.factories import FULL_VALUES


@pytest.fixture
def systems(db):
    return {s.code: s for s in EdmsSystem.objects.all()}


def values(systems, **overrides):
    return {**FULL_VALUES, "system": systems["tesh"], "notes": "", **overrides}


def codes(result, level=None):
    return {(f.code, f.field) for f in result.findings if level is None or f.level == level}


def test_consistent_report_has_no_findings(systems):
    result = check_report(values(systems), previous=values(systems), for_submission=True)
    assert result.findings == []


@pytest.mark.parametrize(
    "part,whole",
    [
        ("classes_edms", "classes_total"),
        ("classes_ejournal", "classes_total"),
        ("classes_other_modules", "classes_total"),
        ("students_edms", "students_total"),
        ("teachers_edms", "teachers_total"),
    ],
)
def test_part_greater_than_whole_is_an_error(systems, part, whole):
    v = values(systems, **{part: FULL_VALUES[whole] + 1})
    result = check_report(v)
    assert ("part_gt_whole", part) in codes(result, rules.ERROR)
    message = result.errors_for(part)[0]
    assert "больше значения графы" in message


def test_negative_number_is_an_error(systems):
    result = check_report(values(systems, student_workstations=-3))
    assert result.errors_for("student_workstations") == [rules.MSG_NEGATIVE]


@pytest.mark.parametrize("name", ["responsible_phone", "coordinator_phone"])
def test_malformed_phone(systems, name):
    result = check_report(values(systems, **{name: "позвоните директору"}))
    assert result.errors_for(name) == [rules.MSG_PHONE]
    assert check_report(values(systems, **{name: "8 (3822) 51-59-12"})).errors == []


@pytest.mark.parametrize("name", ["responsible_email", "coordinator_email"])
def test_malformed_email(systems, name):
    result = check_report(values(systems, **{name: "school@@mail"}))
    assert result.errors_for(name) == [rules.MSG_EMAIL]


def test_branch_contacts_are_checked(systems):
    result = check_report(
        values(systems),
        branches=[
            {"branch_id": 7, "system": systems["tesh"], "responsible_phone": "abc", "responsible_email": "x"}
        ],
    )
    assert {(f.code, f.branch_id) for f in result.errors} == {("phone", 7), ("email", 7)}


def test_missing_required_fields_only_at_submission(systems):
    v = values(systems, responsible_name="", classes_total=None, system=None)
    assert check_report(v).errors == []
    result = check_report(v, for_submission=True)
    assert {"responsible_name", "classes_total", "system"} <= {
        f.field for f in result.errors if f.code == "required"
    }


def test_usage_counts_not_required_when_system_not_used(systems):
    v = values(
        systems,
        system=systems["none"],
        classes_edms=None,
        students_edms=None,
        teachers_edms=None,
        parents_edms=None,
        entry_frequency=None,
    )
    result = check_report(v, for_submission=True)
    assert not [f for f in result.errors if f.code == "required"]


def test_branch_system_required_at_submission(systems):
    result = check_report(values(systems), branches=[{"branch_id": 3, "system": None}], for_submission=True)
    assert ("required", 3) in {(f.code, f.branch_id) for f in result.errors}


def test_system_changed_without_note_is_an_error(systems):
    previous = values(systems)
    result = check_report(values(systems, system=systems["dnevnik"]), previous=previous)
    assert ("system_changed", "notes") in codes(result, rules.ERROR)
    assert "«Электронная школа» (ТЭШ)" in result.errors_for("notes")[0]
    fixed = check_report(
        values(systems, system=systems["dnevnik"], notes="Перешли на Дневник.ру"), previous=previous
    )
    assert fixed.errors == []


def test_adopting_a_system_needs_no_note(systems):
    """Last year «не используется» (or no report at all): starting to use a system is no switch."""
    not_used = values(systems, system=systems["none"])
    adopted = check_report(values(systems), previous=not_used)
    assert not {f.code for f in adopted.findings} & {"system_changed", "system_stopped"}
    first_year = check_report(values(systems), previous=None)
    assert not {f.code for f in first_year.findings} & {"system_changed", "system_stopped"}


def test_stopping_to_use_a_system_is_a_warning_needing_an_explanation(systems):
    stopped_values = {
        **values(systems, system=systems["none"]),
        **dict.fromkeys(rules.USER_COUNT_FIELDS, 0),
    }
    result = check_report(stopped_values, previous=values(systems))
    assert ("system_stopped", "system") in codes(result, rules.WARNING)
    assert not [f for f in result.errors if f.code == "system_changed"]
    submitted = check_report(stopped_values, previous=values(systems), for_submission=True)
    assert ("unexplained", "system") in codes(submitted, rules.ERROR)
    explained = check_report(
        stopped_values,
        previous=values(systems),
        for_submission=True,
        explanations={"system_stopped": {"text": "Договор не продлён"}},
    )
    assert ("unexplained", "system") not in codes(explained, rules.ERROR)


def test_count_change_over_threshold_is_a_warning(systems):
    previous = values(systems)
    moved = int(FULL_VALUES["students_total"] * (1 + (rules.COUNT_CHANGE_WARNING_PCT + 1) / 100))
    result = check_report(values(systems, students_total=moved), previous=previous)
    assert ("change:students_total", "students_total") in codes(result, rules.WARNING)
    assert result.errors == []
    within = int(FULL_VALUES["students_total"] * (1 + (rules.COUNT_CHANGE_WARNING_PCT - 1) / 100))
    assert check_report(values(systems, students_total=within), previous=previous).warnings == []


def test_parents_more_than_twice_students_is_a_warning(systems):
    result = check_report(values(systems, parents_edms=FULL_VALUES["students_total"] * 2 + 1))
    assert ("parents_per_student", "parents_edms") in codes(result, rules.WARNING)
    assert check_report(values(systems, parents_edms=FULL_VALUES["students_total"] * 2)).warnings == []


def test_no_teacher_workstations_while_teachers_use_edms(systems):
    result = check_report(values(systems, teacher_workstations=0))
    assert ("no_teacher_workstations", "teacher_workstations") in codes(result, rules.WARNING)
    assert check_report(values(systems, teacher_workstations=0, teachers_edms=0)).warnings == []


def test_not_used_with_users_is_a_warning(systems):
    result = check_report(values(systems, system=systems["none"]))
    assert ("not_used_with_users", "system") in codes(result, rules.WARNING)
    clean = values(
        systems, system=systems["none"], classes_edms=0, students_edms=0, teachers_edms=0, parents_edms=0
    )
    assert check_report(clean).warnings == []


def test_warnings_need_an_explanation_at_submission(systems):
    v = values(systems, teacher_workstations=0)
    result = check_report(v, for_submission=True)
    assert ("unexplained", "teacher_workstations") in codes(result, rules.ERROR)
    explained = check_report(
        v,
        for_submission=True,
        explanations={"no_teacher_workstations": {"text": "Учителя вносят данные из дома"}},
    )
    assert explained.errors == []
    assert len(explained.warnings) == 1


def test_unconfirmed_carried_values_block_submission(systems):
    result = check_report(values(systems), for_submission=True, unconfirmed=["classes_total"])
    assert ("unconfirmed", "classes_total") in codes(result, rules.ERROR)
