-- Tonight's rows in row order with the version the previous night held for
-- the same digest and occurrence (0: none, or that row was quarantined).
SELECT coalesce(p.version, 0) AS version
FROM tonight t LEFT JOIN previous p USING (low, high, occurrence)
ORDER BY t.row
