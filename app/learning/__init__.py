"""Learning from editors' decisions: labels, retrained classifier models, activation."""
