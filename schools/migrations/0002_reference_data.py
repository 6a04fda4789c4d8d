from django.db import migrations

from schools.reference import MUNICIPALITIES, SYSTEMS, VENDORS


def load(apps, schema_editor):
    Municipality = apps.get_model("schools", "Municipality")
    EdmsVendor = apps.get_model("schools", "EdmsVendor")
    EdmsSystem = apps.get_model("schools", "EdmsSystem")
    for order, (code, name, kind) in enumerate(MUNICIPALITIES, start=1):
        Municipality.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "sort_order": order}
        )
    vendors = {}
    for order, (short_name, name) in enumerate(VENDORS, start=1):
        vendors[short_name], _ = EdmsVendor.objects.update_or_create(
            short_name=short_name, defaults={"name": name, "sort_order": order}
        )
    for order, (code, name, short_name, vendor, installation, aliases) in enumerate(SYSTEMS, 1):
        EdmsSystem.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short_name,
                "vendor": vendors.get(vendor),
                "installation": installation,
                "aliases": "\n".join(aliases),
                "is_used": vendor is not None,
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
