"""A run measured against a generated sample's truth (pipelines.sample): for the
accuracy test and the benchmark.

The truth names owners by the sample's person id; the warehouse by its own
person_id. The two meet through the records: each warehouse person is the
true person most of its records of the night belong to.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

FOUND = ("MATCHED", "PROBABLE")


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


@dataclass
class Accuracy:
    matched: int  # rows MATCHED
    matched_right: int  # ... to the true owner
    owners: int  # rows whose owner is an adult in the register (expected MATCHED or PROBABLE)
    owners_found: int  # ... MATCHED or PROBABLE to the true owner
    companies_matched: int  # NOT_A_PERSON rows given a person (must be 0)
    minors_returned: int  # rows returned whose true owner is a minor (must be 0)
    identified: int  # rows of an adult owner the register identifies (a 16-digit NIK or a birth date)
    identified_matched: int  # ... MATCHED to the true owner
    adult_owners: int  # rows of an adult owner, whatever the register says of them
    adult_owners_found: int  # ... MATCHED or PROBABLE to the true owner

    @property
    def precision(self) -> float:
        return _share(self.matched_right, self.matched)

    @property
    def recall(self) -> float:
        return _share(self.owners_found, self.owners)

    @property
    def matched_recall(self) -> float:
        return _share(self.identified_matched, self.identified)

    @property
    def found_recall(self) -> float:
        return _share(self.adult_owners_found, self.adult_owners)

    def __str__(self) -> str:
        return (f"precision(MATCHED) {self.precision:.4f} ({self.matched_right}/{self.matched})  "
                f"recall(MATCHED | identified) {self.matched_recall:.4f} ({self.identified_matched}/"
                f"{self.identified})  recall(MATCHED+PROBABLE | owners) {self.found_recall:.4f} "
                f"({self.adult_owners_found}/{self.adult_owners})  recall(expected) {self.recall:.4f} "
                f"({self.owners_found}/{self.owners})  companies matched {self.companies_matched}  "
                f"minors returned {self.minors_returned}")


def true_person(cur, sample_dir: Path, night: dt.date) -> dict[str, str]:
    """warehouse person_id -> the sample's true person id, by majority of the night's records."""
    truth = pd.read_csv(Path(sample_dir) / "truth" / f"records_{night.isoformat()}.csv", dtype=str)
    buffer = io.StringIO()
    cur.copy_expert(f"""COPY (SELECT district_code, source_row::text, person_id FROM warehouse.record_identity
                        WHERE export_date = '{night.isoformat()}') TO STDOUT WITH (FORMAT csv)""", buffer)
    buffer.seek(0)
    ours = pd.read_csv(buffer, names=["district_code", "source_row", "person_id"], dtype=str)
    joined = ours.merge(truth, on=["district_code", "source_row"])
    counts = joined.groupby(["person_id", "true_person_id"]).size().reset_index(name="n")
    best = counts.sort_values("n", ascending=False).drop_duplicates("person_id")
    return dict(zip(best["person_id"], best["true_person_id"]))


def run_rows(cur, run_id: str) -> pd.DataFrame:
    """A stored run's rows: ROW_NO, status, the person returned or considered
    (found_id), the rule and whether the runner-up weighed as much (tied: a
    namesake the register does not tell apart), from the audit trail."""
    cur.execute("""SELECT r.row_no, r.status, a.person_id, a.rule, a.runner_up_weight >= a.match_weight
                   FROM bapenda.match_result r
                   LEFT JOIN audit.bapenda_match_reason a USING (run_id, row_no) WHERE r.run_id = %s""", (run_id,))
    return pd.DataFrame(cur.fetchall(), columns=["ROW_NO", "status", "found_id", "rule", "tied"])


def measure(cur, run_id: str, sample_dir: Path, night: dt.date) -> Accuracy:
    """Accuracy of a stored run on the sample's register (truth/arrears.csv)."""
    truth = pd.read_csv(Path(sample_dir) / "truth" / "arrears.csv", dtype=str, keep_default_na=False)
    result = run_rows(cur, run_id).rename(columns={"found_id": "person_id"})
    rows = truth.merge(result.assign(ROW_NO=result["ROW_NO"].astype(str)), on="ROW_NO", how="left")
    mapping = true_person(cur, sample_dir, night)
    rows["found"] = rows["person_id"].map(mapping)
    right = rows["status"].isin(FOUND) & (rows["found"] == rows["true_person_id"]) & (rows["true_person_id"] != "")
    matched = rows["status"] == "MATCHED"
    owners = rows["expected_status"].isin(FOUND)
    persons = pd.read_csv(Path(sample_dir) / "truth" / "persons.csv", dtype=str, usecols=["true_person_id",
                                                                                          "birth_date"])
    born = dict(zip(persons["true_person_id"], pd.to_datetime(persons["birth_date"]).dt.date))
    minor = rows["true_person_id"].map(lambda p: p in born and born[p] > night.replace(year=night.year - 17))
    register = pd.read_csv(Path(sample_dir) / "arrears_register.csv", dtype=str, keep_default_na=False)
    adult = (rows["true_person_id"] != "") & ~minor
    identified = adult & (register["NIK_PEMILIK"].str.replace(r"\D", "", regex=True).str.len().eq(16)
                          | register["TGL_LHR_PEMILIK"].ne("")).to_numpy()
    return Accuracy(matched=int(matched.sum()), matched_right=int((matched & right).sum()),
                    owners=int(owners.sum()), owners_found=int((owners & right).sum()),
                    companies_matched=int(((rows["expected_status"] == "NOT_A_PERSON")
                                           & rows["status"].isin(FOUND)).sum()),
                    minors_returned=int((minor & rows["status"].isin(FOUND)).sum()),
                    identified=int(identified.sum()), identified_matched=int((identified & matched & right).sum()),
                    adult_owners=int(adult.sum()), adult_owners_found=int((adult & right).sum()))
