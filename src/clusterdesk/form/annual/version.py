"""Versions of the annual report: which years a report may cover, after which declaration.

A cluster certified in the 2023 round (Attachment 2 version "2023", data years 2020–2022, targets
for 2025) reports on 2023, 2024 and 2025: the report version "annual-2024" (first filed in 2024).
The key is not a bare "2024" so that it never collides with a 2024 round's Attachment 2.
These versions are kept apart from ``form.versions.FORM_VERSIONS``, which lists the declaration
forms a round may use.
"""

from __future__ import annotations

from datetime import date

from ..versions import FORM_2023, FormVersion

ANNUAL_2024 = FormVersion(
    id="annual-2024",
    data_years=(2023, 2024, 2025),  # the years a report of this version may cover
    reference_date=date(2025, 12, 31),
    target_year=FORM_2023.target_year,
)

# The declaration form each report version follows (its baselines and 2025 targets).
DECLARATION_OF: dict[str, FormVersion] = {ANNUAL_2024.id: FORM_2023}
ANNUAL_VERSIONS: dict[str, FormVersion] = {ANNUAL_2024.id: ANNUAL_2024}
