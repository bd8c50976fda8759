"""Evidence snapshots: what a comment looked like when it was judged (invariant 4)."""
