"""The hash-chained moderation log (design invariant 5)."""
