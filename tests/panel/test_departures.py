from clusterdesk.panel.departures import departures


def test_following_the_order_needs_no_reason():
    assert departures([("a", 1, True), ("b", 2, True), ("c", 3, False)]) == set()


def test_skipping_a_higher_one_marks_both_choices():
    assert departures([("a", 1, False), ("b", 2, True), ("c", 3, False)]) == {"a", "b"}


def test_ties_never_depart_and_unranked_count_last():
    assert departures([("a", 1, True), ("b", 1, False), ("c", None, False)]) == set()
    assert departures([("a", 1, False), ("x", None, True)]) == {"a", "x"}
