"""A database from before partners/ existed keeps its affiliate partners, ids included."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from partners.models import AffiliatePartner

adopt = importlib.import_module("partners.migrations.0001_initial").adopt_partners_from_wisegeek


class Executor:
    """What the migration uses of a schema editor: the connection and execute()."""

    connection = connection

    def execute(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)


@pytest.mark.django_db(transaction=True)
def test_partners_stored_by_the_old_wisegeek_app_are_adopted_and_the_old_table_dropped():
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE wisegeek_affiliatepartner (id bigint PRIMARY KEY, name varchar(120), "
            "slug varchar(120), website varchar(200), domains text, description varchar(300), "
            "logo varchar(100), is_active boolean, partner_since date)"
        )
        cursor.execute(
            "INSERT INTO wisegeek_affiliatepartner VALUES (41, 'Voltline', 'voltline', "
            "'https://www.voltline.example', 'voltline.example', 'Chargers', '', true, '2022-05-01')"
        )

    adopt(apps, Executor())

    partner = AffiliatePartner.objects.get()
    assert (partner.pk, partner.name, partner.domains, str(partner.partner_since)) == (
        41, "Voltline", "voltline.example", "2022-05-01")
    assert "wisegeek_affiliatepartner" not in connection.introspection.table_names()
    assert AffiliatePartner.objects.create(name="Next", slug="next", website="https://n.example",
                                           domains="n.example").pk > 41
