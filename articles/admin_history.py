"""Readable history in the admin: any two versions of an object side by side.

``HistoryCompareMixin`` goes before ``SimpleHistoryAdmin`` in a ModelAdmin's bases. Its
history page lets the editor pick two versions (or one and the one before it); the
compare page shows the words that changed in the text fields, in full, and the other
fields that changed as old → new.
"""

from django.contrib.admin.utils import display_for_field, label_for_field, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.text import capfirst

from core.fields import SanitizedHTMLField

from .diff import html_tokens, side_by_side, text_tokens

EMPTY = "—"


class HistoryCompareMixin:
    """For a ModelAdmin whose bases list it before ``SimpleHistoryAdmin``."""

    # Shown word by word rather than as old → new; a SanitizedHTMLField is read as HTML.
    history_compare_text_fields = ["title", "summary", "body"]

    @property
    def object_history_template(self):
        """The history page, looked up per model and per app as admin's own templates
        are, before simple-history's (which this one extends)."""
        opts = self.model._meta
        return [
            f"admin/{opts.app_label}/{opts.model_name}/object_history.html",
            f"admin/{opts.app_label}/object_history.html",
            "simple_history/object_history.html",
        ]

    def history_view(self, request, object_id, extra_context=None):
        headers = [self._column_header(name) for name in self.get_history_list_display(request)]
        return super().history_view(request, object_id, {"history_list_headers": headers, **(extra_context or {})})

    def get_urls(self):
        opts = self.model._meta
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.history_compare_view),
            name=f"{opts.app_label}_{opts.model_name}_history_compare",
        )
        # Before the inherited patterns: simple-history's "<id>/history/<version>/" would
        # take "compare" for a version.
        return [compare, *super().get_urls()]

    def history_compare_view(self, request, object_id):
        """Two versions of one object (``?from=<history id>&to=<history id>``), the older
        on the left whichever order they are given in."""
        request.current_app = self.admin_site.name
        opts = self.model._meta
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(f"No {opts.verbose_name} with the id “{object_id}”.")
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        older, newer = self._versions_of(obj, request.GET.get("from"), request.GET.get("to"))

        text_changes = [
            {"label": capfirst(field.verbose_name), "rows": side_by_side(old, new)}
            for field, old, new in self._text_tokens(older, newer)
            if old != new
        ]
        helper = self.get_historical_record_context_helper(request, newer)
        field_changes = []
        delta = newer.diff_against(older, excluded_fields=self.history_compare_text_fields, foreign_keys_are_objs=True)
        for change in delta.changes:
            field = opts.get_field(change.field)
            old, new = (helper.prepare_delta_change_value(change, value) for value in (change.old, change.new))
            field_changes.append({
                "label": capfirst(field.verbose_name),
                "old": display_for_field(old, field, EMPTY),
                "new": display_for_field(new, field, EMPTY),
            })

        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare versions: {obj}",
            "opts": opts,
            "module_name": capfirst(opts.verbose_name_plural),
            "object": obj,
            "versions": [older, newer],
            "text_changes": text_changes,
            "field_changes": field_changes,
        }
        return TemplateResponse(
            request,
            [
                f"admin/{opts.app_label}/{opts.model_name}/history_compare.html",
                f"admin/{opts.app_label}/history_compare.html",
                "admin/history_compare.html",
            ],
            context,
        )

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Replaces simple-history's old → new values on the history page, which it cuts
        to 100 characters ("[347 chars]"): each version gets the one before it, for
        "compare with previous", and the names of the fields that changed, text fields
        only when their words did (not when the sanitizer wrote the same HTML anew)."""
        records = list(historical_records)
        if not records:
            return
        previous = [*records[1:], records[-1].prev_record]  # the last's is on the next page
        opts = self.model._meta
        for newer, older in zip(records, previous):
            newer.previous_version = older
            if older is None:
                continue
            changed = set(newer.diff_against(older).changed_fields)
            changed -= {field.name for field, old, new in self._text_tokens(older, newer) if old == new}
            newer.changed_field_names = [
                capfirst(field.verbose_name)
                for field in [*opts.concrete_fields, *opts.many_to_many]
                if field.name in changed
            ]

    def _column_header(self, name):
        """A history column's header as the change list writes it ("Updated", not
        "updated_on"); a column only the historical model has keeps its name."""
        try:
            return capfirst(label_for_field(name, self.model, self))
        except AttributeError:
            return capfirst(name.replace("_", " "))

    def _versions_of(self, obj, *version_ids):
        """The two versions of ``obj`` asked for, oldest first; 404 for ids that are not
        versions of it."""
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        try:
            # clean(), not to_python(): an id too large for the column is refused here,
            # where the database would raise.
            wanted = {history.model._meta.pk.clean(version_id, None) for version_id in version_ids}
        except ValidationError:
            raise Http404("Not a version id.")
        if None in wanted:
            raise Http404("Two versions are needed: from and to.")
        versions = sorted(
            history.filter(**{self.model._meta.pk.attname: obj.pk}, pk__in=wanted),
            key=lambda version: (version.history_date, version.pk),
        )
        if len(versions) != len(wanted):
            raise Http404("No such version of this object.")
        return versions[0], versions[-1]

    def _text_tokens(self, older, newer):
        """(field, older tokens, newer tokens) of each field compared word by word whose
        stored values differ."""
        for name in self.history_compare_text_fields:
            old, new = getattr(older, name), getattr(newer, name)
            if old != new:
                field = self.model._meta.get_field(name)
                tokens = html_tokens if isinstance(field, SanitizedHTMLField) else text_tokens
                yield field, tokens(old), tokens(new)
