-- Identity's name + year rule (pipelines/identity/sql/candidates.sql) meets
-- every namesake born in the same year, about 80 a key in the province, and
-- keeps only those whose birth date is one typo away. Each namesake cost a
-- heap page read to learn its birth date: at 12.9 M most of an ordinary
-- night's 916 k page reads in that query (55 s on a cold cache). With the date
-- and the node in the index, the rule is tested index-only wherever the
-- visibility map is set (the first night vacuums, pipelines/nightly.py publish).
CREATE INDEX identity_node_name_year_covering ON warehouse.identity_node (name_skel, birth_year) INCLUDE (dob, node_id);
DROP INDEX warehouse.identity_node_name_year;
ALTER INDEX warehouse.identity_node_name_year_covering RENAME TO identity_node_name_year;
