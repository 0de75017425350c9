"""The expert pool, conflicts of interest (回避), review phases and the assignment of experts."""
