-- Staging compares tonight's file with the district's previous night by the
-- text digest of each row (pipelines/history.py). Fetching those digests
-- through record_version took 3.5 M index probes and a sort for a big district
-- (2.6-19 s a district at 12.9 M). So a night keeps its rows' digests beside
-- its versions, 16 bytes per row in row order, as one value read at once.
-- Only each district's latest night keeps them (publish clears the older ones:
-- 206 MB a night at 12.9 M, which history does not need); staging an older
-- night again reads them through record_version as before. Nights loaded
-- before this migration have none.
ALTER TABLE warehouse.night_record ADD COLUMN row_hashes bytea;  -- md5 of row i at bytes 16i..16i+15
ALTER TABLE staging.load ADD COLUMN row_hashes bytea;
