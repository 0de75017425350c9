"""The pure rules of the expert review (no Django): the rubric and score sheets, aggregation and
ranking, automatic assignment, conflict-of-interest matching and the working-day calendar."""
