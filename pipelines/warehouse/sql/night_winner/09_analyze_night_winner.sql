ANALYZE night_winner;
