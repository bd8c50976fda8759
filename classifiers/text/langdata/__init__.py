"""Word lists per language: Swedish function words (stopwords) and marker words for language detection."""
