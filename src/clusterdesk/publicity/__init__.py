"""The 会审 decision, the 公示 of the proposed clusters and the objections (异议) to it."""
