import re

import pytest
from django.core.management import call_command

from monitoring.models import Campaign, SchoolReport
from rcro_portal.bench_data import BenchSet, ensure_data
from rcro_portal.management.commands.bench import SUMMARY_KEYS
from schools.models import Municipality, School

pytestmark = pytest.mark.django_db


def test_data_set_is_created_once_with_a_large_and_a_tenth_municipality():
    ensure_data(200, 40)
    counts = (School.objects.count(), SchoolReport.objects.count(), Campaign.objects.count())
    ensure_data(200, 40)  # the same N: reused, nothing added
    assert (School.objects.count(), SchoolReport.objects.count(), Campaign.objects.count()) == counts
    bench = BenchSet(200, 40)
    assert Municipality.objects.filter(code__startswith=bench.tag).count() == 10
    largest, small = bench.municipality(0), bench.municipality(1)
    assert largest.schools.count() == 7 and small.schools.count() == 1
    statuses = set(SchoolReport.objects.filter(campaign=bench.campaign()).values_list("status", flat=True))
    assert statuses == {"approved", "submitted", "returned", "draft"}


def test_bench_prints_every_measurement_and_the_summary_line(capsys):
    call_command("bench", schools=40, runs=1, in_process=True)
    out = capsys.readouterr().out
    last = out.strip().splitlines()[-1]
    assert last.startswith("bench: ")
    found = dict(re.findall(r"(\w+)=(\S+)", last))
    assert tuple(found) == SUMMARY_KEYS
    assert all(value != "-" for value in found.values())
    assert "Сводка крупнейшего МО" in out and "≤ 200 мс" in out


def test_a_measurement_reports_the_childs_own_peak_memory_not_its_parents():
    """Linux's ``wait4`` would give a child started by a large process that process's size; the
    bench reports the peak the child measured itself."""
    import sys

    from rcro_portal.management.commands.bench import child_result
    from rcro_portal.peak_memory import peak_rss_mb

    ballast = b"x" * (300 * 1024 * 1024)  # resident in this process
    script = (
        "import json; from rcro_portal.peak_memory import peak_rss_mb; "
        "print('BENCH ' + json.dumps({'seconds': 0, 'peak_rss_mb': peak_rss_mb()}))"
    )
    result = child_result([sys.executable, "-c", script], "probe")
    assert peak_rss_mb() > 300
    assert 0 < result["rss_mb"] < 100
    assert ballast[-1:] == b"x"
