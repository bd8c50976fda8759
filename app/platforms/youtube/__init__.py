"""YouTube: a polled platform (no comment webhooks), moderated through the Data API v3."""
