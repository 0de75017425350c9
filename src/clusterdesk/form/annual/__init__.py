"""年度发展情况报告: a certified cluster's report on one year of its three-year plan.

A second form of the pure core, run by the same engine as Attachment 2 (walk, 填报说明 rules,
loading, pages): ``schema`` (the boxes, reusing the declaration's labels, kinds and units),
``rules`` (its lists), ``definition`` (the registered form "annual-2024"), ``consistency`` (against
the declaration and earlier reports), ``metrics`` (actuals of part 八's targets) and ``example``
(empty, example and pre-filled reports).
"""
