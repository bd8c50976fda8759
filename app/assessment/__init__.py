"""The one hook between stored comment versions and the classifiers."""
