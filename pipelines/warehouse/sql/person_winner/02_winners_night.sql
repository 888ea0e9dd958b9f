INSERT INTO warehouse.person_winner_night (night) VALUES (%(night)s)
ON CONFLICT (single) DO UPDATE SET night = EXCLUDED.night;
