-- Residence history from each touched person's winning record: a move between
-- desa closes one row and opens the next (a mover's lagging old-district row
-- loses, see warehouse.person_night).
UPDATE warehouse.person_residence h SET valid_to = %(night)s
FROM night_winner n
WHERE h.person_id = n.person_id AND h.valid_to IS NULL AND h.valid_from < %(night)s
  AND h.desa_code <> n.desa_code;
