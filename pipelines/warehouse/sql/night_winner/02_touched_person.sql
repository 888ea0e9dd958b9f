CREATE TEMP TABLE IF NOT EXISTS touched_person (person_id text) ON COMMIT DROP;
