"""Background jobs (verification, batch generation, dossier assembly) with progress and leases.

The `jobs` table is the truth: a worker claims a job with a compare-and-set on the row and holds a
lease that a heartbeat renews. A worker that dies lets its lease expire; a sweeper then hands the job
to another worker (attempts + 1). Completion is also a compare-and-set on (id, lease_owner), so a job
finishes exactly once whatever the broker redelivers.
"""
