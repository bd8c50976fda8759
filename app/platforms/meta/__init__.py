"""Meta: Facebook Pages (``feed``) and Instagram (``comments``, ``live_comments``)."""
