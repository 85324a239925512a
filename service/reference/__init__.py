"""The reference domain: the secretary's regions, districts, council members and events."""
