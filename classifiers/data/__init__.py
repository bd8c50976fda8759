"""The labelled Swedish comment corpus the classifiers are trained and evaluated on.

No public Swedish data exists for most of the categories the municipal
guidelines name, so the comments are written by hand for this project (see
``README.md``) and ``build_corpus`` turns them into ``corpus.jsonl``.
"""
