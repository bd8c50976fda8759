"""Trained model artefacts (JSON, no pickle); rebuilt by ``python -m classifiers.train``."""
