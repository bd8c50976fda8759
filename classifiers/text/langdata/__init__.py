"""Word lists per language: Swedish function words (stopwords), marker words for language
detection, and the Swedish words read back from plain letters (sources and licences: README.md)."""
