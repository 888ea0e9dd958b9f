-- An ordinary night looks up, for each of its candidate nodes, a district that
-- lists it (identity's candidates.sql: 654 k lookups at 12.9 M), and, for each
-- touched person, their nodes and versions (night_winner.sql). Each lookup read
-- a heap page for one or two columns: 690 k page reads, 19 s of I/O for the
-- candidates alone on a cold cache. With those columns in the index, the
-- lookups are index-only wherever the visibility map is set (the first night
-- vacuums, see pipelines/nightly.py publish).
CREATE INDEX record_version_node_covering ON warehouse.record_version (node_id) INCLUDE (district_code, version_id);
DROP INDEX warehouse.record_version_node;
ALTER INDEX warehouse.record_version_node_covering RENAME TO record_version_node;
CREATE INDEX identity_node_person_covering ON warehouse.identity_node (person_id) INCLUDE (node_id);
DROP INDEX warehouse.identity_node_person;
ALTER INDEX warehouse.identity_node_person_covering RENAME TO identity_node_person;
