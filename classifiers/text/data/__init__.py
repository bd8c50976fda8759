"""Lexicons and rules of the text detectors (data files; a package only so they ship in the wheel)."""
