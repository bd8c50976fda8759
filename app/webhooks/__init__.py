"""Platform webhook endpoints: verify, store the raw bytes, commit, answer."""
