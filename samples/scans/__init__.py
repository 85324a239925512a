"""Labelled evaluation set of scanned documents (see generate.py)."""
