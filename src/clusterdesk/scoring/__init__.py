"""The rubric per round, the experts' score sheets, their aggregation and the ranking."""
