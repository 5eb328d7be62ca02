import pytest

from core.html import clean_html, reading_minutes
from partners.html import mark_affiliate_links
from tests.factories import ArticleFactory

XSS_PAYLOADS = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<p style="x:expression(alert(1))">styled</p>',
    '<svg onload=alert(1)><circle r=1></circle></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="evil.swf"></object><embed src="evil.swf">',
    '<body onload=alert(1)>',
    '<style>body{background:url(javascript:alert(1))}</style>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<form action="https://evil.example"><input name=x><button>Go</button></form>',
    '<div onmouseover="alert(1)">hover</div>',
    '"><script>alert(1)</script>',
    '<scr<script>ipt>alert(1)</script>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<link rel=stylesheet href="https://evil.example/x.css">',
    '<img src="javascript:alert(1)">',
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<!--<img src=x onerror=alert(1)>-->',
    '<details open ontoggle=alert(1)>',
    '<video><source onerror=alert(1)></video>',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
]

FORBIDDEN = ["<script", "onerror", "onload", "onmouseover", "ontoggle", "javascript:",
             "vbscript:", "data:text", "<iframe", "<object", "<embed", "<svg", "<style",
             "style=", "<form", "<meta", "<base", "<link", "expression(", "<!--"]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_html_loses_everything_executable(payload):
    cleaned = clean_html(payload).lower()
    for bad in FORBIDDEN:
        assert bad not in cleaned, f"{bad!r} survived in {cleaned!r}"


def test_what_the_editor_produces_is_kept():
    html = (
        "<h2>Heading</h2><h3>Sub</h3><p>Some <strong>bold</strong> and <i>italic</i> "
        '<a href="https://example.com/page">a link</a>.</p>'
        "<ul><li>one</li></ul><ol><li>two</li></ol><blockquote><p>quoted</p></blockquote>"
        '<figure class="table"><table><thead><tr><th>A</th></tr></thead>'
        "<tbody><tr><td>1</td></tr></tbody></table></figure>"
        '<figure class="image"><img src="/media/uploads/a.png" alt="A chart" width="40" height="30"></figure>'
    )
    assert clean_html(html) == html


def test_headings_the_page_owns_and_unknown_classes_are_dropped():
    cleaned = clean_html('<h1>Second title</h1><figure class="image evil"><img src="/a.png" alt=""></figure>')
    assert "<h1" not in cleaned
    assert "Second title" in cleaned
    assert 'class="image"' in cleaned


def test_script_content_disappears_not_just_the_tag():
    assert clean_html("<p>Hi</p><script>steal()</script>") == "<p>Hi</p>"


def test_author_supplied_rel_is_dropped_so_we_control_it():
    assert "rel=" not in clean_html('<a href="https://shop.example" rel="dofollow">x</a>')


@pytest.mark.django_db
def test_body_is_sanitized_when_saved_from_any_writer():
    article = ArticleFactory(body='<p onclick="x()">Hi<script>alert(1)</script></p>')
    article.refresh_from_db()
    assert article.body == "<p>Hi</p>"


def test_links_to_partner_domains_and_subdomains_are_marked_sponsored():
    domains = frozenset({"shop.example"})
    html = clean_html(
        '<p><a href="https://shop.example/x">a</a> <a href="https://go.shop.example/y?a=1&amp;b=2">b</a> '
        '<a href="https://notshop.example/">c</a> <a href="https://shop.example.evil.example/">d</a> '
        '<a href="/local.htm">e</a></p>'
    )
    marked = mark_affiliate_links(html, domains)
    assert marked.count('rel="sponsored noopener"') == 2
    assert '<a href="https://notshop.example/">c</a>' in marked
    assert '<a href="https://shop.example.evil.example/">d</a>' in marked


def test_reading_time_counts_words_not_markup():
    assert reading_minutes("<p>" + "word " * 450 + "</p>") == 2
    assert reading_minutes("") == 1


def test_rich_text_filter_cleans_stored_html_as_it_is_shown():
    from django.template import engines

    template = engines["django"].from_string("{% load richtext %}<div>{{ value|rich_text }}</div>")

    assert template.render({"value": '<p onclick="x()">Hi</p><script>alert(1)</script>'}) == "<div><p>Hi</p></div>"
    assert template.render({"value": None}) == "<div></div>"
    assert template.render({"value": "<p>Fish &amp; chips</p>"}) == "<div><p>Fish &amp; chips</p></div>"
