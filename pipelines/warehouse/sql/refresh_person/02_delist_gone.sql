-- Touched but listed by no export tonight, although their district's file was
-- loaded: gone from the register (moved out of Banten or removed). Driven by
-- the touched persons without a winner, found first among the temp tables and
-- probed as one sorted list, and the loaded districts taken once as a list:
-- planned as a join, the loaded files came first and each scanned every golden
-- record; joined to the gone persons, it still scanned them all once (0.9 s at
-- 1 M); a list the planner cannot count is read by index.
UPDATE warehouse.golden_record p SET delisted_on = %(night)s,
    last_listed = (SELECT max(f.export_date) FROM audit.file_load f
                   WHERE f.district_code = p.district_code AND f.export_date < %(night)s
                     AND f.status IN ('loaded', 'unchanged'))
WHERE %(touched)s AND p.person_id = ANY (ARRAY(SELECT person_id FROM touched_person
                                              EXCEPT SELECT person_id FROM night_winner))
  AND p.delisted_on IS NULL AND p.as_of < %(night)s
  AND p.district_code = ANY (ARRAY(SELECT f.district_code FROM audit.file_load f WHERE f.export_date = %(night)s
                                   AND f.status IN ('loaded', 'unchanged')));
