"""Form versions: what changes from one round's form to the next is data, not code.

The 2023 form (甬经信中小〔2023〕43号, Attachment 2) asks for the data years 2020–2022, treats
undated figures as of the end of 2022 (填报说明 6) and sets three-year targets for 2025.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class FormVersion:
    id: str
    data_years: tuple[int, ...]
    reference_date: date
    target_year: int

    @property
    def base_year(self) -> int:
        """The year of the baselines in part 八 (the last data year)."""
        return self.data_years[-1]

    @property
    def year_keys(self) -> tuple[str, ...]:
        return tuple(str(year) for year in self.data_years)

    @property
    def stage_years(self) -> tuple[int, ...]:
        return tuple(range(self.base_year + 1, self.target_year + 1))


FORM_2023 = FormVersion(
    id="2023",
    data_years=(2020, 2021, 2022),
    reference_date=date(2022, 12, 31),
    target_year=2025,
)

FORM_VERSIONS: dict[str, FormVersion] = {FORM_2023.id: FORM_2023}
