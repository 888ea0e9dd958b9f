DROP TABLE IF EXISTS touched_version, night_row, night_winner;  -- an earlier night in this transaction
