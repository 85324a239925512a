"""The registry of issued documents: registration numbers, unguessable ids, hashes of issued files."""
