-- warehouse.person_winner holds no night: the marts' next refresh rebuilds it whole.
DELETE FROM warehouse.person_winner_night
