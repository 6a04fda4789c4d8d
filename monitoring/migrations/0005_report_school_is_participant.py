"""Every organisation that has a report in a campaign is a participant of it.

Existing reports of non-participants (loaded before the rule) make their organisations
participants. On PostgreSQL the database then holds the rule itself: the report row references
the participant row (a composite foreign key, checked at commit, so a service may write the report
and the participant row in either order within one transaction).
"""

from django.db import migrations

CONSTRAINT = "monitoring_schoolreport_school_is_participant"


def add_missing_participants(apps, schema_editor):
    SchoolReport = apps.get_model("monitoring", "SchoolReport")
    Campaign = apps.get_model("monitoring", "Campaign")
    through = Campaign.participants.through
    have = set(through.objects.values_list("campaign_id", "school_id"))
    wanted = set(SchoolReport.objects.values_list("campaign_id", "school_id"))
    through.objects.bulk_create(
        [through(campaign_id=campaign_id, school_id=school_id) for campaign_id, school_id in sorted(wanted - have)]
    )


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE monitoring_schoolreport ADD CONSTRAINT {CONSTRAINT} "
        "FOREIGN KEY (campaign_id, school_id) "
        "REFERENCES monitoring_campaign_participants (campaign_id, school_id) "
        "DEFERRABLE INITIALLY DEFERRED"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE monitoring_schoolreport DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0004_participant_changes")]

    operations = [
        migrations.RunPython(add_missing_participants, migrations.RunPython.noop),
        migrations.RunPython(add_constraint, drop_constraint),
    ]
