from django.contrib.auth.management import create_permissions
from django.db import migrations


def editors_manage_partners(apps, schema_editor):
    app_config = apps.get_app_config("partners")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if group is not None:
        Permission = apps.get_model("auth", "Permission")
        group.permissions.add(*Permission.objects.filter(
            content_type__app_label="partners",
            codename__in=["add_affiliatepartner", "change_affiliatepartner", "view_affiliatepartner"],
        ))


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0001_initial"),
        ("articles", "0005_editors_group"),
    ]

    operations = [migrations.RunPython(editors_manage_partners, migrations.RunPython.noop)]
