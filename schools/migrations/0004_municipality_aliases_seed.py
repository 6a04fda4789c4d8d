from django.db import migrations

from schools.reference import MUNICIPALITY_ALIASES


def load(apps, schema_editor):
    Municipality = apps.get_model("schools", "Municipality")
    MunicipalityAlias = apps.get_model("schools", "MunicipalityAlias")
    by_code = {m.code: m for m in Municipality.objects.all()}
    for code, names in MUNICIPALITY_ALIASES.items():
        municipality = by_code.get(code)
        if municipality is None:
            continue
        for name in names:
            if name != municipality.name:
                MunicipalityAlias.objects.get_or_create(name=name, defaults={"municipality": municipality})


class Migration(migrations.Migration):
    dependencies = [("schools", "0003_school_closing_and_municipality_aliases")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
