"""A variation catalogue for the single-identity engine, for benches and tests only.

Written independently of `pipelines.sample` (its own name lists, households,
rates and variations): a clean base population of Banten, second registrations
of some persons with one recorded variation class each (two for `mix`), hard
negatives that must never be joined, and a second night. See docs/identity.md.

    write_catalogue(out, [night1, night2], persons=50_000, seed=1)  -> Catalogue
    read_catalogue_night(out, night)                                -> records frame
    evaluate(records, person_of, read_negatives(out))               -> CatalogueScores
"""

from catalogue.build import DUPLICATE_RATES, NEGATIVE_RATES, NIGHT2_RATES, Catalogue, build_catalogue
from catalogue.files import read_catalogue_night, read_negatives, write_catalogue
from catalogue.population import generate_population
from catalogue.scoring import CatalogueScores, evaluate, report_lines

__all__ = ["DUPLICATE_RATES", "NEGATIVE_RATES", "NIGHT2_RATES", "Catalogue", "CatalogueScores", "build_catalogue",
           "evaluate", "generate_population", "read_catalogue_night", "read_negatives", "report_lines",
           "write_catalogue"]
