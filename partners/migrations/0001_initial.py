import core.validators
from django.db import migrations, models


def adopt_partners_from_wisegeek(apps, schema_editor):
    """Affiliate partners used to live in the project package's app (table
    wisegeek_affiliatepartner). A database from then keeps its partners, ids included."""
    connection = schema_editor.connection
    old = "wisegeek_affiliatepartner"
    if old not in connection.introspection.table_names():
        return
    new = apps.get_model("partners", "AffiliatePartner")._meta.db_table
    columns = "id, name, slug, website, domains, description, logo, is_active, partner_since"
    schema_editor.execute(f"INSERT INTO {new} ({columns}) SELECT {columns} FROM {old}")
    schema_editor.execute(f"DROP TABLE {old}")
    if connection.vendor == "postgresql":
        schema_editor.execute(
            f"SELECT setval(pg_get_serial_sequence('{new}', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {new}"
        )


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="AffiliatePartner",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=120)),
                ("slug", models.SlugField(max_length=120, unique=True)),
                ("website", models.URLField(help_text="The partner's home page, shown on the partners list.")),
                ("domains", models.TextField(help_text="The domains its links use, one per line (e.g. shop.example.com). Links to these domains and their subdomains are marked as sponsored.")),
                ("description", models.CharField(blank=True, max_length=300)),
                ("logo", models.ImageField(blank=True, upload_to="partners/", validators=[core.validators.validate_image_file])),
                ("is_active", models.BooleanField(default=True, help_text="Untick when the partnership ends.", verbose_name="active")),
                ("partner_since", models.DateField(blank=True, null=True)),
            ],
            options={"ordering": ["name"], "verbose_name": "affiliate partner"},
        ),
        migrations.RunPython(adopt_partners_from_wisegeek, migrations.RunPython.noop),
    ]
