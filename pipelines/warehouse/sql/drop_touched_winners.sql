-- The winners of the persons tonight touched (temp table touched_person), replaced
-- next; probed by their sorted list, which the planner cannot count (joined, it
-- read the whole table).
DELETE FROM warehouse.person_winner WHERE person_id = ANY (ARRAY(SELECT person_id FROM touched_person))
