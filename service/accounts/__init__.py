"""Accounts: users with roles, organisations and the organisation's reference data."""
