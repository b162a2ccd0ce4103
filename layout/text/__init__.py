"""Chinese text composition: character classes and rules as data, line breaking, punctuation
adjustment, justification, headline fitting."""
