from django.contrib.auth.management import create_permissions
from django.db import migrations

# Writers write: their own drafts, submitted for review; they cannot publish, and cannot
# change an article once it is published or another writer's. Editors edit and publish
# everything and moderate comments. What each may do beyond the model permissions below
# (whose article, which state) is enforced by ArticleAdmin.
WRITER_PERMISSIONS = {
    "articles": {"article": "add change view", "category": "view", "articleupdate": "view"},
    "authors": {"author": "view"},
    "images": {"image": "add change view"},
}
EDITOR_ADDITIONS = {
    "articles": {"article": "publish", "articleupdate": "add change delete view"},
    "images": {"image": "add change view"},
}


def permissions(apps, grants):
    Permission = apps.get_model("auth", "Permission")
    for app_label, models in grants.items():
        for model, actions in models.items():
            codenames = [f"{action}_{model}" for action in actions.split()]
            found = list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
            if len(found) != len(codenames):
                raise RuntimeError(f"Missing permissions among {app_label}.{codenames}")
            yield from found


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    writers, _ = Group.objects.get_or_create(name="Writers")
    writers.permissions.add(*permissions(apps, WRITER_PERMISSIONS))
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*permissions(apps, EDITOR_ADDITIONS))


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name="Writers").delete()
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.remove(*Permission.objects.filter(codename="publish_article"))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_editorial_workflow"),
        ("authors", "0004_author_photo_alt"),
        ("images", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
