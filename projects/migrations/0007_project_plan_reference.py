from django.db import migrations

from projects.plan import load_plan_reference


def load(apps, schema_editor):
    load_plan_reference(
        apps.get_model("projects", "Project"),
        apps.get_model("projects", "PlanIndicator"),
        apps.get_model("projects", "ExpectedResult"),
    )


class Migration(migrations.Migration):
    dependencies = [("projects", "0006_project_plan")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
