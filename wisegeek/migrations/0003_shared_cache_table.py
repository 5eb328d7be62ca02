from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # Without Redis the "shared" cache (rate limits) lives in a database table; creating
    # it here means `migrate` alone prepares a database. It does nothing for Redis.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("wisegeek", "0002_site_name_and_domain")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
