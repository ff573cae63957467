"""Wording, one module per report kind: labels and their synonyms across provinces, title
patterns, header aliases, units. Plain data only (no logic), so supporting another
province's phrasing is an edit to one file, reviewed like any other."""
