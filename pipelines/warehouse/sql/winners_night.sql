-- The night warehouse.person_winner holds (no row: none, it must be rebuilt).
SELECT night FROM warehouse.person_winner_night
