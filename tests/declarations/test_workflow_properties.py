"""Whatever anyone tries, in any order, the history explains the state exactly."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.workflow import TransitionRefused, transition
from tests.factories import make_application, make_city_officer, make_county_officer, make_round

attempts = st.lists(
    st.tuples(
        st.sampled_from(list(ApplicationState)),
        st.sampled_from(["county", "city"]),
        st.sampled_from(["", "理由"]),
    ),
    max_size=12,
)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(attempts=attempts)
def test_history_always_explains_the_state(attempts):
    officer = make_county_officer()
    actors = {"county": officer, "city": make_city_officer()}
    application = make_application(round_=make_round(county_limit=5), officer=officer)
    made = 0
    for to_state, who, reason in attempts:
        try:
            transition(application, to_state, actors[who], reason)
            made += 1
        except TransitionRefused:
            pass

    application.refresh_from_db()
    events = list(application.events.order_by("at", "pk"))
    assert len(events) == 1 + made
    assert application.version == 1 + made
    assert events[-1].to_state == application.state
    for before, after in itertools.pairwise(events):
        assert after.from_state == before.to_state
