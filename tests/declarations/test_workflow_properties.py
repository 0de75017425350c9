"""Whatever anyone tries, in any order, the history explains the state exactly."""

import itertools
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.workflow import MOVES, TransitionRefused, transition
from tests.factories import make_application, make_city_officer, make_county_officer, make_round

STATES = list(ApplicationState)
WHO = ["county", "city"]
REASONS = ["", "理由"]


@st.composite
def attempts(draw, state):
    """An attempt from ``state``: any target at all, or — half the time, so that applications
    get past the first steps — a target the table allows from there, by either role."""
    targets = [move.target for move in MOVES if move.source == state]
    follow = targets and draw(st.booleans())
    to_state = draw(st.sampled_from(targets if follow else STATES))
    return to_state, draw(st.sampled_from(WHO)), draw(st.sampled_from(REASONS))


@pytest.mark.django_db
def test_history_always_explains_the_state():
    # Moves made and refused over all examples: a property that holds because every attempt
    # was refused would say nothing about the moves.
    tried = Counter()
    edges = set()

    @settings(
        max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(data=st.data())
    def history_explains_the_state(data):
        officer = make_county_officer()
        actors = {"county": officer, "city": make_city_officer()}
        application = make_application(round_=make_round(county_limit=5), officer=officer)
        made = 0
        for _ in range(data.draw(st.integers(0, 12), label="attempts")):
            to_state, who, reason = data.draw(attempts(application.state))
            source = application.state
            try:
                transition(application, to_state, actors[who], reason)
                made += 1
                edges.add((source, to_state))
            except TransitionRefused:
                tried["refused"] += 1
        tried["made"] += made

        application.refresh_from_db()
        events = list(application.events.order_by("at", "pk"))
        assert len(events) == 1 + made
        assert application.version == 1 + made
        assert events[-1].to_state == application.state
        for before, after in itertools.pairwise(events):
            assert after.from_state == before.to_state

    history_explains_the_state()
    assert tried["made"] > 0, tried
    assert tried["refused"] > 0, tried
    # Past the county's first step: the city's moves were exercised too.
    assert len(edges) > 2, edges
