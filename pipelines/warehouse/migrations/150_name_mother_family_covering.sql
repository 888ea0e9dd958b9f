-- Two more of an ordinary night's lookups index-only, as 130 made the name +
-- year rule, wherever the visibility map is set (a first night vacuums what it
-- filled). Identity's name + mother rule (pipelines/identity/sql/candidates.sql)
-- keeps the namesakes with the same mother's name born within a year, or on
-- the same day and month: it read each one's heap row for the birth date (483 k
-- buffers for 46 k hits at 12.9 M). The family rule (nightly._family_rule)
-- reads each version of every family with a row changed tonight, for its id
-- and whether it is the head (2.3-5.8 s a district at 12.9 M, heap reads).
CREATE INDEX identity_node_name_mother_covering ON warehouse.identity_node (name_skel, mother_skel) INCLUDE (dob, node_id);
DROP INDEX warehouse.identity_node_name_mother;
ALTER INDEX warehouse.identity_node_name_mother_covering RENAME TO identity_node_name_mother;
CREATE INDEX record_version_kk_covering ON warehouse.record_version (district_code, no_kk) INCLUDE (version_id, stat_hbkel);
DROP INDEX warehouse.record_version_kk;
ALTER INDEX warehouse.record_version_kk_covering RENAME TO record_version_kk;
