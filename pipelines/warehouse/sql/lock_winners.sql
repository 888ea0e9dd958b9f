-- No other writer brings warehouse.person_winner to another night meanwhile.
LOCK TABLE warehouse.person_winner_night IN SHARE ROW EXCLUSIVE MODE
