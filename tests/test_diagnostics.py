"""How a diagnostic reads on the terminal (layout/diagnostics.py)."""

from layout.diagnostics import Diagnostic, Location, Severity


def test_an_empty_story_name_is_not_printed():
    """A free photo's findings carry an empty story name: the line read "page B03, story : error
    IMAGE-LOW-PPI" (qa2's edition)."""
    d = Diagnostic("IMAGE-LOW-PPI", Severity.ERROR, "b-opera.jpg: 130 ppi", location=Location(file="e.yaml"),
                   story="", page="B03")
    assert d.format().startswith("e.yaml, page B03: error IMAGE-LOW-PPI")
    named = Diagnostic("X", Severity.WARNING, "m", location=Location(file="e.yaml"), story="s1", paragraph=0)
    assert "story s1, paragraph 0" in named.format()


def test_a_tables_or_an_ads_diagnostic_names_it_as_what_it_is():
    """"page A03, story prices: error TABLE-OVERSET" called a table a story (qa1 and qa2 both
    noticed): a table's or an ad's codes name the item as a table or an ad."""
    loc = Location(file="e.yaml")
    table = Diagnostic("TABLE-OVERSET", Severity.ERROR, "m", location=loc, story="prices", page="A03")
    assert table.format().startswith("e.yaml, page A03, table prices: error TABLE-OVERSET")
    ad = Diagnostic("AD-SIZE-MISMATCH", Severity.WARNING, "m", location=loc, story="bank", page="A02")
    assert ", ad bank: warning" in ad.format()
    story = Diagnostic("TEXT-SUBHEAD-ALONE", Severity.WARNING, "m", location=loc, story="s1")
    assert ", story s1: warning" in story.format()
