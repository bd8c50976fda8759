"""The platform-action outbox: hide, unhide, delete and reply, run until done or failed."""
