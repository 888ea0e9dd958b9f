-- Two birth dates of one year that a single typo turns into each other, as the
-- identity model's name + year rules pair them (pipelines/identity/model.py:
-- Damerau-Levenshtein <= 1 on the ISO text): the month kept and the day one
-- edit away (a digit changed, or its two digits swapped), or the day kept and
-- the month. Immutable all through, so the planner inlines them where they
-- are used (sql/candidates.sql) instead of calling them for every pair.
CREATE FUNCTION warehouse.one_edit_apart(a int, b int) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN a / 10 = b / 10 OR a % 10 = b % 10 OR a = b % 10 * 10 + b / 10;  -- two-digit fields

CREATE FUNCTION warehouse.one_typo_apart(a date, b date) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (extract(month FROM a) = extract(month FROM b)
        AND warehouse.one_edit_apart(extract(day FROM a)::int, extract(day FROM b)::int))
    OR (extract(day FROM a) = extract(day FROM b)
        AND warehouse.one_edit_apart(extract(month FROM a)::int, extract(month FROM b)::int));
