"""The decision queue: items for flagged comments and questions, and editors' decisions."""
