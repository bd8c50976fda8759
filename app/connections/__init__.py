"""Connecting accounts to their platforms and keeping their tokens healthy."""
