"""Loads the synthetic demo organisations into the database (used by ``seed_demo``)."""

from django.db import transaction

from .demo_data import demo_schools
from .models import Branch, Municipality, School

DEMO_CODE_PREFIX = "demo-"


@transaction.atomic
def seed_organisations(*, seed: int = 2017) -> dict[str, School]:
    """Create or update the demo schools and branches; returns schools by their demo code.

    Idempotent: schools are keyed by ``external_code``, branches by (school, name).
    """
    municipalities = {m.code: m for m in Municipality.objects.all()}
    existing = {s.external_code: s for s in School.objects.filter(external_code__startswith=DEMO_CODE_PREFIX)}
    existing_branches = set(
        Branch.objects.filter(school__external_code__startswith=DEMO_CODE_PREFIX).values_list(
            "school__external_code", "name"
        )
    )
    result: dict[str, School] = {}
    new_branches = []
    for demo in demo_schools(seed):
        external_code = DEMO_CODE_PREFIX + demo.code
        school = existing.get(external_code)
        if school is None:
            school = School.objects.create(
                external_code=external_code,
                municipality=municipalities[demo.municipality_code],
                short_name=demo.short_name,
                full_name=demo.full_name,
                address=demo.address,
            )
        result[demo.code] = school
        for branch in demo.branches:
            if (external_code, branch.name) not in existing_branches:
                new_branches.append(Branch(school=school, name=branch.name, address=branch.address))
    Branch.objects.bulk_create(new_branches)
    return result
