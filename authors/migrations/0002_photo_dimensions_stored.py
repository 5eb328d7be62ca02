"""Author photos are measured when stored, never when a page loads their author.

The field class changes (no column changes), and rows stored without width and height
(the demo loader used to store none) get them now, where the file can be read.
"""

import core.fields
import core.validators
from django.db import migrations
from django.db.models import Q


def fill_missing_dimensions(apps, schema_editor):
    Author = apps.get_model("authors", "Author")
    db = schema_editor.connection.alias
    missing = Author.objects.using(db).exclude(photo="").filter(
        Q(photo_width__isnull=True) | Q(photo_height__isnull=True)
    )
    for author in missing.only("pk", "photo"):
        width, height = core.fields.measure_stored_image(author.photo)
        if width and height:
            Author.objects.using(db).filter(pk=author.pk).update(photo_width=width, photo_height=height)


class Migration(migrations.Migration):
    dependencies = [
        ("authors", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="author",
            name="photo",
            field=core.fields.MeasuredImageField(
                blank=True, height_field="photo_height", upload_to="authors/",
                validators=[core.validators.validate_image_file], width_field="photo_width",
            ),
        ),
        migrations.RunPython(fill_missing_dimensions, migrations.RunPython.noop),
    ]
