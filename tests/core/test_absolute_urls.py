"""core.html.absolute_urls: HTML read away from the site (a feed reader) keeps working
links and pictures, because every relative address in it is resolved against the
page it belongs to; nothing else in the HTML changes."""

import pytest

from core.html import absolute_urls

PAGE = "https://news.example.com/what-is-sciatica.htm"


@pytest.mark.parametrize(("written", "resolved"), [
    ('<a href="/go/kit?from=abc">Kit</a>', '<a href="https://news.example.com/go/kit?from=abc">Kit</a>'),
    ('<a href="#notes">Notes</a>', '<a href="https://news.example.com/what-is-sciatica.htm#notes">Notes</a>'),
    ('<a href="?page=2">Next</a>', '<a href="https://news.example.com/what-is-sciatica.htm?page=2">Next</a>'),
    ('<a href="back-pain.htm">Back pain</a>', '<a href="https://news.example.com/back-pain.htm">Back pain</a>'),
    ('<a href="//cdn.example.net/x.pdf">PDF</a>', '<a href="https://cdn.example.net/x.pdf">PDF</a>'),
    ('<img src="/media/uploads/spine.png" alt="Spine">',
     '<img src="https://news.example.com/media/uploads/spine.png" alt="Spine">'),
])
def test_a_relative_href_or_src_is_resolved_against_the_page(written, resolved):
    assert absolute_urls(written, base=PAGE) == resolved


def test_every_candidate_of_a_srcset_is_resolved_with_its_descriptor_kept():
    written = '<img src="/m/a.jpg" srcset="/m/a-400.jpg 400w,/m/a-800.jpg 800w, https://cdn.example.net/a.jpg 2x">'

    assert absolute_urls(written, base=PAGE) == (
        '<img src="https://news.example.com/m/a.jpg" srcset="https://news.example.com/m/a-400.jpg 400w, '
        'https://news.example.com/m/a-800.jpg 800w, https://cdn.example.net/a.jpg 2x">'
    )


def test_a_comma_inside_a_srcset_address_does_not_split_it():
    written = '<img srcset="/m/a,b.jpg 1x, /m/c.jpg,">'

    assert absolute_urls(written, base=PAGE) == (
        '<img srcset="https://news.example.com/m/a,b.jpg 1x, https://news.example.com/m/c.jpg">'
    )


@pytest.mark.parametrize("written", [
    '<p>Plain <strong>text</strong>, no addresses.</p>',
    '<a href="https://partner.example/item?a=1&amp;b=2" rel="sponsored noopener">Buy</a>',
    '<a href="mailto:desk@news.example.com">Write to us</a> <a href="tel:+15550100">Call</a>',
    '<img src="https://cdn.example.net/a.jpg" alt="A &quot;quoted&quot; &amp; odd alt">',
    "",
])
def test_html_without_a_relative_address_comes_back_unchanged(written):
    assert absolute_urls(written, base=PAGE) == written


def test_only_the_tags_with_a_relative_address_are_rewritten_and_the_text_between_is_kept_exactly():
    written = (
        "<h2>Why</h2>\r\n<p>Caf\u00e9 \u201ccr\u00e8me\u201d \U0001F600 &amp; more:\n"
        '<a href="/one.htm" title="Say &quot;one&quot; &amp; two">one</a>,\n'
        '<a href="https://elsewhere.example/">two</a>.</p>\n<figure class="image"><img src="/media/x.png"/></figure>'
    )

    assert absolute_urls(written, base=PAGE) == (
        "<h2>Why</h2>\r\n<p>Caf\u00e9 \u201ccr\u00e8me\u201d \U0001F600 &amp; more:\n"
        '<a href="https://news.example.com/one.htm" title="Say &quot;one&quot; &amp; two">one</a>,\n'
        '<a href="https://elsewhere.example/">two</a>.</p>\n'
        '<figure class="image"><img src="https://news.example.com/media/x.png" /></figure>'
    )


def test_an_ampersand_in_a_resolved_address_stays_escaped():
    written = '<a href="/go/kit?x=1&amp;from=abc">Kit</a>'

    assert absolute_urls(written, base=PAGE) == '<a href="https://news.example.com/go/kit?x=1&amp;from=abc">Kit</a>'


def test_a_malformed_address_is_left_as_it_was_instead_of_failing():
    written = '<a href="http://[::1/x">odd</a> <a href="/ok">ok</a>'

    assert absolute_urls(written, base=PAGE) == '<a href="http://[::1/x">odd</a> <a href="https://news.example.com/ok">ok</a>'


def test_addresses_resolve_on_a_site_url_with_a_port_and_a_path():
    written = '<a href="/go/kit">Kit</a><img src="media/x.png">'

    assert absolute_urls(written, base="http://127.0.0.1:8123/blog/what-is-sciatica.htm") == (
        '<a href="http://127.0.0.1:8123/go/kit">Kit</a><img src="http://127.0.0.1:8123/blog/media/x.png">'
    )
