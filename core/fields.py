from django_ckeditor_5.fields import CKEditor5Field

from .html import clean_html


class SanitizedHTMLField(CKEditor5Field):
    """Rich text edited with CKEditor 5 and sanitized every time it is saved.

    Sanitizing in ``pre_save`` means every writer (admin, import, shell) goes
    through the same allow-list before anything reaches the database.
    """

    def pre_save(self, model_instance, add):
        value = clean_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value
