"""core.html.top_level_blocks: where the top-level elements of sanitized HTML begin and
end, exactly, so something (a disclosure, an ad) can go between two of them and never
inside one."""

import pytest

from core.html import clean_html, top_level_blocks


def pieces(value: str) -> list[tuple[str, str]]:
    """Each block as (tag, the exact text its offsets cut out)."""
    return [(tag, value[start:end]) for tag, start, end in top_level_blocks(value)]


def test_each_block_is_cut_out_exactly_with_the_text_between_them_left_over():
    value = "<p>One.</p>\n\n<h2>Two</h2>\n<p>Three.</p>"

    assert top_level_blocks(value) == (("p", 0, 11), ("h2", 13, 25), ("p", 26, 39))


def test_offsets_stay_exact_over_many_lines_and_windows_line_ends():
    value = "<p>One\nline two\nline three</p>\r\n<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n\n\n<p>\nEnd.\n</p>"

    assert pieces(value) == [
        ("p", "<p>One\nline two\nline three</p>"),
        ("ul", "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>"),
        ("p", "<p>\nEnd.\n</p>"),
    ]


def test_text_outside_any_character_counts_once_whatever_its_width():
    # Offsets are into the str, not its UTF-8 bytes: é, “ and an emoji are one each.
    value = "<p>Café “crème” 😀</p>\n<p>Naïve — façade</p>"

    assert pieces(value) == [("p", "<p>Café “crème” 😀</p>"), ("p", "<p>Naïve — façade</p>")]


def test_nested_elements_of_the_same_name_end_with_their_outermost_closing_tag():
    value = ("<blockquote><blockquote><p>Inner.</p></blockquote><p>Outer.</p></blockquote>"
             "<ul><li><ul><li>deep</li></ul></li></ul><p>After.</p>")

    assert pieces(value) == [
        ("blockquote", "<blockquote><blockquote><p>Inner.</p></blockquote><p>Outer.</p></blockquote>"),
        ("ul", "<ul><li><ul><li>deep</li></ul></li></ul>"),
        ("p", "<p>After.</p>"),
    ]


def test_void_elements_are_blocks_of_their_own_at_the_top_and_nothing_inside_others():
    value = '<p>a<br>b<br/>c</p><hr><img src="/media/x.png" alt="x &gt; y" width="10"><hr/><p>z</p>'

    assert pieces(value) == [
        ("p", "<p>a<br>b<br/>c</p>"),
        ("hr", "<hr>"),
        ("img", '<img src="/media/x.png" alt="x &gt; y" width="10">'),
        ("hr", "<hr/>"),
        ("p", "<p>z</p>"),
    ]


def test_entities_and_escaped_markup_in_text_and_attributes_do_not_move_the_offsets():
    value = ('<p>Fish &amp; chips &lt;/p&gt; &#8212; &#x2014; &nbsp;</p>'
             '<p><a href="/go/x?a=1&amp;b=2" title="&quot;&lt;/p&gt;&quot;">x</a></p>')

    assert pieces(value) == [
        ("p", "<p>Fish &amp; chips &lt;/p&gt; &#8212; &#x2014; &nbsp;</p>"),
        ("p", '<p><a href="/go/x?a=1&amp;b=2" title="&quot;&lt;/p&gt;&quot;">x</a></p>'),
    ]


def test_tables_and_figures_are_one_block_each():
    value = ('<figure class="table"><table><thead><tr><th scope="col">A</th></tr></thead>'
             '<tbody><tr><td><p>1</p></td></tr></tbody></table></figure>'
             '<figure class="image"><img src="/media/y.png"><figcaption>Cap</figcaption></figure>')

    assert [tag for tag, _ in pieces(value)] == ["figure", "figure"]
    assert "".join(text for _, text in pieces(value)) == value


def test_inline_elements_at_the_top_level_are_blocks_and_bare_text_is_not():
    value = "Loose text <strong>bold</strong> more <a href=\"/x\">link</a> end"

    assert pieces(value) == [("strong", "<strong>bold</strong>"), ("a", '<a href="/x">link</a>')]


@pytest.mark.parametrize("value", ["", "   ", "just text", "\n\n"])
def test_html_without_elements_has_no_blocks(value):
    assert top_level_blocks(value) == ()


@pytest.mark.parametrize("stored", [
    "<p>unclosed<p>second<ul><li>a<li>b</ul><blockquote>q",
    "<div><section><p>wrapped</p></section></div><p>next",
    "<P>Upper</P><H2>Case</H2>",
    "<p>a</p><!-- a comment --><p>b</p>",
    "<table><tr><td>1<td>2</table><p>after",
    "<p>x <script>alert('</p>')</script> y</p><style>p{}</style><p>z</p>",
    "<pre>\n  code &lt;p&gt;\n\n  more\n</pre>\n<p>after</p>",
])
def test_blocks_of_sanitized_html_tile_it_with_only_whitespace_between(stored):
    """Whatever was stored, after clean_html every block starts with its own tag, ends
    with its closing tag, and the blocks and the whitespace between them are all there is."""
    value = clean_html(stored)

    blocks = top_level_blocks(value)
    assert blocks
    position = 0
    for tag, start, end in blocks:
        assert value[position:start].strip() == ""
        assert value[start:end].startswith(f"<{tag}")
        assert value[start:end].endswith(f"</{tag}>")
        position = end
    assert value[position:].strip() == ""
