"""Autosave re-walks only the parts an edit changed: its findings must be those of a full
validation, whatever the edit (values of any part, evidence added or dropped)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterdesk.form import validation
from clusterdesk.form.fields import form_fields
from clusterdesk.form.schema import Application
from tests.form.strategies import applications

PARTS = [name for name, _spec in form_fields(Application)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    old=applications(),
    other=applications(),
    replaced=st.sets(st.sampled_from(PARTS), max_size=3),
    dropped=st.integers(0, 5),
)
def test_reusing_the_unchanged_parts_finds_what_a_full_validation_finds(
    old, other, replaced, dropped
):
    before = old.model_dump(mode="json")
    after = {**before}
    for name in replaced:  # an edit: these parts now hold another application's values
        after[name] = other.model_dump(mode="json")[name]
    evidence = dict(before["evidence"])
    for key in list(evidence)[:dropped]:  # ...and some evidence was removed
        del evidence[key]
    after["evidence"] = evidence
    edited = Application.model_validate(after)

    previous = validation.validate_passes(Application.model_validate(before))
    reuse = validation.reusable(previous, before, after)
    incremental = validation.validate_passes(edited, reuse=reuse)

    assert incremental.findings == validation.validate(edited)
    unchanged = [name for name in PARTS if name not in replaced or before[name] == after[name]]
    if not dropped:
        assert set(reuse) == set(unchanged)  # nothing unchanged is walked again


def test_a_part_whose_evidence_changed_is_walked_again():
    form = Application.model_validate({})
    before = form.model_dump(mode="json")
    after = {**before, "evidence": {"part2.chain_map": [{"name": "图.pdf"}]}}
    previous = validation.validate_passes(form)
    reuse = validation.reusable(previous, before, after)
    assert "part2" not in reuse
    assert "part3" in reuse
    edited = Application.model_validate(after)
    assert validation.validate_passes(edited, reuse=reuse).findings == validation.validate(edited)
