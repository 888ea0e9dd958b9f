-- Residence history from each touched person's winning record: a move between
-- desa closes one row and opens the next (a mover's lagging old-district row
-- loses, see warehouse.person_night). On an ordinary night the rows are probed
-- by the sorted list of the winners' persons, which the planner cannot count:
-- joined, it read every person's residence (and the next statement again).
UPDATE warehouse.person_residence h SET valid_to = %(night)s
FROM night_winner n
WHERE h.person_id = n.person_id AND h.valid_to IS NULL AND h.valid_from < %(night)s
  AND h.desa_code <> n.desa_code
  AND (NOT %(touched)s OR h.person_id = ANY (ARRAY(SELECT person_id FROM night_winner)));
