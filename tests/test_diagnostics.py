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
