-- The key the refresh of the golden records, residences and kept winners joins
-- on (all columns of a province's winners took 3.4 s at 1 M; no plan used them).
ANALYZE night_winner (person_id);
