-- Tonight's staged records with the node each belongs to. The node id hashes
-- the identifying attributes exactly as exported: unchanged records find their
-- node (and person) by an index lookup, only new or changed ones are matched.
-- A batch of a million new nodes is read sorted: with the default work_mem
-- that sort spills to disk (a third slower at 1 M).
SET LOCAL work_mem = '512MB';
