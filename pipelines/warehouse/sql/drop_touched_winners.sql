-- The winners of the persons tonight touched (temp table touched_person), replaced next.
DELETE FROM warehouse.person_winner WHERE person_id IN (SELECT person_id FROM touched_person)
