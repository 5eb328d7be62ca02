"""Featured images are measured when stored, never when a page loads their article.

The field class changes (no column changes), and rows stored without width and height
(the demo loader used to store none) get them now, where the file can be read.
"""

import core.fields
import core.validators
from django.db import migrations
from django.db.models import Q


def fill_missing_dimensions(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    db = schema_editor.connection.alias
    missing = Article.objects.using(db).exclude(featured_image="").filter(
        Q(featured_image_width__isnull=True) | Q(featured_image_height__isnull=True)
    )
    for article in missing.only("pk", "featured_image"):
        width, height = core.fields.measure_stored_image(article.featured_image)
        if width and height:
            Article.objects.using(db).filter(pk=article.pk).update(
                featured_image_width=width, featured_image_height=height
            )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_policy_pages"),
    ]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="featured_image",
            field=core.fields.MeasuredImageField(
                blank=True, height_field="featured_image_height", upload_to="articles/%Y/%m/",
                validators=[core.validators.validate_image_file], width_field="featured_image_width",
            ),
        ),
        migrations.RunPython(fill_missing_dimensions, migrations.RunPython.noop),
    ]
