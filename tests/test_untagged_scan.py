"""The untagged-content scan's fast path (text objects judged where they begin) against the full scan, on
crafted pages: where the fast path is exact, and where it hands a page back to the full scan."""
from __future__ import annotations

import pikepdf
import pytest

from reportgen.pdf.inspect import untagged_pages

TAGGED = b"/P <</MCID 0>> BDC "
#: (content of the one page, whether it paints anything outside a tag or an artifact)
PAGES = [
    (TAGGED + b"BT /F1 12 Tf (x) Tj ET EMC", False),
    (b"/Artifact BMC BT /F1 12 Tf (x) Tj ET EMC", False),
    (b"BT /F1 12 Tf (x) Tj ET", True),
    (b"BT /F1 12 Tf (x) ' ET", True),
    (b"BT ET", False),  # an empty text object paints nothing: the fast reading alone would say untagged
    (b"0 0 m 10 10 l S", True),
    (TAGGED + b"0 0 10 10 re f EMC", False),
    (TAGGED + b"BT (x) Tj ET EMC 0 0 10 10 re f", True),
    (b"q 1 0 0 1 0 0 cm /Im0 Do Q", True),
    # Marked content inside a text object: the fast path cannot tell, so the page is read in full.
    (b"BT " + TAGGED + b"/F1 12 Tf (x) Tj EMC ET", False),
    (b"BT " + TAGGED + b"/F1 12 Tf (x) Tj EMC (y) Tj ET", True),
    (b"BT /Artifact BMC (x) Tj EMC ET", False),
    (b"BT /Span BMC (x) Tj EMC ET", True),
    (TAGGED + b"BT (x) Tj EMC (y) Tj ET", True),  # the tag ends inside the text object
    (b"/Span BMC " + TAGGED + b"BT (x) Tj ET EMC EMC", False),  # nested: the inner sequence tags it
    (b"/Span BMC BT (x) Tj ET EMC", True),  # marked, but neither tagged nor an artifact
]


def tagged_pdf(*contents: bytes) -> pikepdf.Pdf:
    """A PDF with a structure tree and one page per content stream (enough for the scans)."""
    pdf = pikepdf.new()
    for content in contents:
        pdf.add_blank_page()
        pdf.pages[-1].obj.Contents = pdf.make_stream(content)
    pdf.Root.StructTreeRoot = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    return pdf


@pytest.mark.parametrize("content, untagged", PAGES, ids=[c.decode() for c, _ in PAGES])
def test_fast_and_full_scans_agree_where_text_is_in_text_objects(content: bytes, untagged: bool) -> None:
    with tagged_pdf(content) as pdf:
        expected = [1] if untagged else []
        assert untagged_pages(pdf) == expected
        assert untagged_pages(pdf, text_in_blocks=True) == expected


def test_pages_keep_their_numbers_in_both_scans() -> None:
    contents = [c for c, _ in PAGES]
    with tagged_pdf(*contents) as pdf:
        expected = [n for n, (_, untagged) in enumerate(PAGES, 1) if untagged]
        assert untagged_pages(pdf) == expected == untagged_pages(pdf, text_in_blocks=True)


def test_text_drawn_outside_a_text_object_is_found_by_the_full_scan_only() -> None:
    # Against the standard, but viewers draw it: why a PDF from elsewhere (a supplied one) is read in full,
    # and the fast path is kept for LibreOffice's own exports, which never do this.
    content = TAGGED + b"BT (x) Tj ET EMC /F1 12 Tf (loose) Tj"
    with tagged_pdf(content) as pdf:
        assert untagged_pages(pdf) == [1]
        assert untagged_pages(pdf, text_in_blocks=True) == []


# --------------------------------------------------------------------------- structure counted while fixed

def structure_pdf() -> pikepdf.Pdf:
    """A tree with what finishing changes: an empty paragraph and an empty table (removed), a header-less
    two-column table (its label column made TH), a header-less three-column table (left without TH), a
    role-mapped paragraph."""
    pdf = tagged_pdf(TAGGED + b"BT (x) Tj ET EMC")
    page = pdf.pages[0].obj

    def el(kind: str, *kids: object, **extra: object) -> pikepdf.Object:
        node = pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name(kind), Pg=page, **extra)
        if kids:
            node.K = pikepdf.Array(list(kids))
        return pdf.make_indirect(node)

    def table(columns: int) -> pikepdf.Object:
        return el("/Table", *(el("/TR", *(el("/TD", el("/P", 0)) for _ in range(columns))) for _ in range(2)))

    document = el("/Document", el("/Text body", 0), el("/P"), el("/Table"), table(2), table(3), el("/H1", 0))
    root = pdf.Root.StructTreeRoot
    root.K = pikepdf.Array([document])
    root.RoleMap = pikepdf.Dictionary({"/Text body": pikepdf.Name.P})
    return pdf


def test_finishing_counts_the_tree_it_fixed_as_inspect_reads_it() -> None:
    from reportgen.pdf.finish import finish_open
    from reportgen.pdf.inspect import read_tree

    with structure_pdf() as pdf:
        before = read_tree(pdf.Root.StructTreeRoot)
        counted = finish_open(pdf, "Title", None)
        after = read_tree(pdf.Root.StructTreeRoot)
    assert counted == after
    assert after != before  # finishing changed what is counted: the empty P and table went, a table got its TH
    assert after.tables_without_th == 1 and before.tables_without_th == 3
    assert after.structure["/TH"] == 2 and after.names["/Text body"] == 1 and after.structure["/P"] == 11
