import pytest

from tests.factories import AuthorFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field", ["author", "reviewer"])
def test_inactive_authors_are_not_offered_for_an_article(staff_client, field):
    AuthorFactory(name="Still Writing")
    AuthorFactory(name="Long Gone", is_active=False)
    response = staff_client.get(
        "/admin/autocomplete/", {"app_label": "articles", "model_name": "article", "field_name": field, "term": ""}
    )
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Still Writing"]


def test_the_author_list_in_admin_still_shows_inactive_authors(staff_client):
    AuthorFactory(name="Long Gone", is_active=False)
    assert "Long Gone" in staff_client.get("/admin/authors/author/").content.decode()
