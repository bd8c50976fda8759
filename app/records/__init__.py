"""Records management: the archive extract an account's documentation requires."""
