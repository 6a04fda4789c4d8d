from django.db import migrations

from projects.passport import PASSPORT


def load(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    fields = {k: v for k, v in PASSPORT.items() if k != "name"}
    Project.objects.update_or_create(name=PASSPORT["name"], defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
