-- An ordinary night rewrites the golden records of the persons it touches
-- (~1%), mostly without changing an indexed column (nik, desa). Filled to 100%
-- by a first night, their pages had no room for the new version: each update
-- went to another page and into all three indexes. With a tenth of each page
-- free, the new version stays on its page and the indexes are not touched (a
-- HOT update): at 1 M, 103 k buffers instead of 214 k for 12.7 k upserts
-- (752 -> 364 ms). Pages written before this migration get the room as they
-- are rewritten.
ALTER TABLE warehouse.golden_record SET (fillfactor = 90);
