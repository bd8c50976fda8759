"""Culling (gallring) of unflagged comments, per the municipality's culling decision."""
