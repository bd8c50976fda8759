"""LinkedIn: organization social-action notifications and the Community Management API."""
