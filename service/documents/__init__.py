"""The documents domain: what a secretary issues. One document from a form (validated once, numbered,
rendered by :mod:`service.generation`, recorded in the registry, stored, audited, one commit), a batch
from a participants' table (a job that yields a ZIP), the organisation's registry list and the public
check; its endpoints and its task.
"""
