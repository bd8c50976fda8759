"""The registrar's queue: comments to register (diarieföra), their case numbers and packages."""
