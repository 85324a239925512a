"""Files that enter or leave the service: teachers' uploads, generated documents, batch tables and ZIPs."""
