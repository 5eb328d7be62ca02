"""Full-text search: an index per engine that finds articles without reading them all
(how queries use it: articles/search.py).

PostgreSQL: a tsvector column the database computes from each row, and a GIN index on
it. Adding the column computes it for the articles there are.
SQLite: an FTS5 table, filled with the articles there are and kept up to date by
triggers on articles_article.

Each engine's SQL runs only on that engine. The SQL is written out here, not imported,
so that this migration keeps doing what it did when the code changes; a later
migration that must rebuild the SQLite index (Django drops the triggers when it copies
articles_article into a new table) may call ``sqlite_index_drop`` and
``sqlite_index_create`` from here.
"""

from django.db import migrations, models
import django.db.models.deletion

# A tag, attributes and all. Stored bodies are sanitized by nh3, which escapes any ">"
# inside an attribute's value, so the first ">" closes the tag.
TAG_PATTERN = "<[^>]*>"

POSTGRESQL_CREATE = [
    # Title A, summary B, body text C; the weights' values are given at query time.
    f"""
    ALTER TABLE articles_article ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', COALESCE(title, '')), 'A')
        || setweight(to_tsvector('english', COALESCE(summary, '')), 'B')
        || setweight(to_tsvector('english', regexp_replace(COALESCE(body, ''), '{TAG_PATTERN}', ' ', 'g')), 'C')
    ) STORED
    """,
    "CREATE INDEX articles_article_search_document ON articles_article USING gin (search_document)",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS articles_article_search_document",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_document",
]


def sqlite_body_text(column: str) -> str:
    """SQL for the text of the HTML in ``column``: a space where each tag was, the
    entities nh3 writes decoded (so "&amp;" is not the word "amp").

    SQLite has no regular expressions of its own, so the HTML is cut at every "<" (a
    JSON array of the pieces, read back with json_each) and each piece loses what comes
    before its first ">". The work grows with the length of the body, once. The
    triggers run it from any connection (dbshell, a backup tool), not only Django's.
    The 'delete' of a contentless FTS5 table must be given the very text that was
    indexed: the pieces are joined in their order, so the same body gives the same text.
    """
    pieces = f"""
        SELECT CASE WHEN key = 0 THEN value
                    WHEN instr(value, '>') > 0 THEN substr(value, instr(value, '>') + 1)
                    ELSE '' END AS text
        FROM json_each('[' || replace(json_quote(COALESCE({column}, '')), '<', '","') || ']')
        ORDER BY key
    """
    text = "group_concat(text, ' ')"
    for entity, character in [("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'"),
                              ("&amp;", "&")]:
        quoted = character.replace("'", "''")
        text = f"replace({text}, '{entity}', '{quoted}')"
    return f"(SELECT {text} FROM ({pieces}))"


def sqlite_index_entry(action: str, row: str) -> str:
    """SQL that adds (``insert``) or removes (``delete``) ``row``'s words."""
    values = f"{row}.id, {row}.title, {row}.summary, {sqlite_body_text(row + '.body')}"
    if action == "delete":
        # Only a row that is in the index: FTS5 takes a 'delete' of words it does not
        # hold for a corrupt index and fails the statement (the article's save).
        return ("INSERT INTO articles_article_search(articles_article_search, rowid, title, summary, body) "
                f"SELECT 'delete', {values} "
                f"WHERE EXISTS (SELECT 1 FROM articles_article_search WHERE rowid = {row}.id);")
    return f"INSERT INTO articles_article_search(rowid, title, summary, body) VALUES ({values});"


def sqlite_index_create(schema_editor):
    """The FTS5 table, its triggers, and the articles there are in it."""
    statements = [
        # Contentless (content=''): the words only, not a second copy of every article.
        # porter: "batteries" finds "battery"; remove_diacritics: "cafe" finds "café".
        """CREATE VIRTUAL TABLE articles_article_search USING fts5(
            title, summary, body, content='', tokenize='porter unicode61 remove_diacritics 2'
        )""",
        # What Django joins (ArticleSearchEntry). The unary + keeps SQLite from taking
        # "article id = rowid" as a way into the full-text table: without it, and without
        # statistics (ANALYZE), it reads every published article and runs the full-text
        # query again for each, bm25 included. With it, the full-text table is read once
        # and each match's article is found by its primary key.
        """CREATE VIEW articles_article_search_entry AS
            SELECT +rowid AS article_id, articles_article_search AS document FROM articles_article_search""",
        f"""CREATE TRIGGER articles_article_search_insert AFTER INSERT ON articles_article BEGIN
            {sqlite_index_entry("insert", "new")}
        END""",
        f"""CREATE TRIGGER articles_article_search_delete AFTER DELETE ON articles_article BEGIN
            {sqlite_index_entry("delete", "old")}
        END""",
        # Only when what is indexed changes: update(status=...) leaves the index alone.
        f"""CREATE TRIGGER articles_article_search_update AFTER UPDATE OF id, title, summary, body
            ON articles_article BEGIN
            {sqlite_index_entry("delete", "old")}
            {sqlite_index_entry("insert", "new")}
        END""",
        "INSERT INTO articles_article_search(rowid, title, summary, body) "
        f"SELECT id, title, summary, {sqlite_body_text('body')} FROM articles_article",
    ]
    for statement in statements:
        schema_editor.execute(statement, params=None)


def sqlite_index_drop(schema_editor):
    for statement in [
        "DROP TRIGGER IF EXISTS articles_article_search_insert",
        "DROP TRIGGER IF EXISTS articles_article_search_delete",
        "DROP TRIGGER IF EXISTS articles_article_search_update",
        "DROP VIEW IF EXISTS articles_article_search_entry",
        "DROP TABLE IF EXISTS articles_article_search",
    ]:
        schema_editor.execute(statement, params=None)


def search_index_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRESQL_CREATE:
            schema_editor.execute(statement, params=None)
    elif vendor == "sqlite":
        sqlite_index_create(schema_editor)


def search_index_drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRESQL_DROP:
            schema_editor.execute(statement, params=None)
    elif vendor == "sqlite":
        sqlite_index_drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_featured_image_dimensions_stored"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleSearchEntry",
            fields=[
                ("article", models.OneToOneField(
                    db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True,
                    related_name="search_entry", serialize=False, to="articles.article",
                )),
                ("document", models.TextField()),
            ],
            options={"db_table": "articles_article_search_entry", "managed": False},
        ),
        migrations.RunPython(search_index_create, search_index_drop, elidable=False),
    ]
