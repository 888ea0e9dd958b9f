-- Identity's candidate query (pipelines/identity/sql/candidates.sql) finds the
-- known nodes that could pair with tonight's new ones, then fetches each one's
-- row once. Eight of its eleven rules probed indexes without the node's id:
-- every hit read its heap row just to learn it, a rule after another, so a
-- candidate found by several rules (the same person again: most are) was read
-- once a rule and once more for its row. Here every rule is index-only
-- wherever the visibility map is set (a first night vacuums what it filled),
-- as 130 and 150 made the name + year and name + mother rules. The five rules
-- on a birth date (with the given name, the last word, the mother's name, the
-- desa, the address) become one index on the date that carries their other
-- keys: one probe reads the date's nodes for all five, and the index is about
-- the size of the five it replaces (1.7 against 1.6 GiB at 13 M nodes). With a
-- 1 M night's new nodes against 13 M nodes, cold, the rules' part of the query
-- went from 77 k page reads to 43 k (bench/bench_candidates.py).
CREATE INDEX identity_node_dob_keys ON warehouse.identity_node (dob)
    INCLUDE (first_skel, name_key, mother_skel, desa, address_key, node_id);
DROP INDEX warehouse.identity_node_dob_first;
DROP INDEX warehouse.identity_node_dob_last;
DROP INDEX warehouse.identity_node_dob_mother;
DROP INDEX warehouse.identity_node_desa_dob;
DROP INDEX warehouse.identity_node_address_dob;
CREATE INDEX identity_node_nik_covering ON warehouse.identity_node (nik) INCLUDE (node_id);
DROP INDEX warehouse.identity_node_nik;
ALTER INDEX warehouse.identity_node_nik_covering RENAME TO identity_node_nik;
CREATE INDEX identity_node_name_nikbirth_covering ON warehouse.identity_node (name_skel, nik_birth) INCLUDE (node_id);
DROP INDEX warehouse.identity_node_name_nikbirth;
ALTER INDEX warehouse.identity_node_name_nikbirth_covering RENAME TO identity_node_name_nikbirth;
CREATE INDEX identity_node_desa_name_covering ON warehouse.identity_node (desa, name_skel) INCLUDE (node_id);
DROP INDEX warehouse.identity_node_desa_name;
ALTER INDEX warehouse.identity_node_desa_name_covering RENAME TO identity_node_desa_name;
