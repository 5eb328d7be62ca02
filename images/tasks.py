from django_tasks import task

from . import services


@task()
def make_renditions(*, names: list[str]) -> int:
    """Make the renditions of the images in ``names`` that do not have them yet;
    returns how many were made."""
    return services.renditions_make(names=names).made
