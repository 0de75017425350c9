"""现场答辩 (defence) schedules and records, and 实地走访 (site visits) with their findings."""
