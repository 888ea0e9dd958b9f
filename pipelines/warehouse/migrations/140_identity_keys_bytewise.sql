-- Identity's blocking keys (pipelines/identity/features.py) are compared for
-- equality only, so their order in an index means nothing. Under the
-- database's linguistic collation every comparison went through strcoll: a
-- first night builds six indexes on them over every node of the province
-- (pipelines/warehouse/indexes.py), each about 2.5 times slower than in byte
-- order. No view reads these columns, so their collation can change in place;
-- the indexes on them are built again here (the node and person ids, which
-- views read, keep theirs).
ALTER TABLE warehouse.identity_node
    ALTER COLUMN nik TYPE text COLLATE "C", ALTER COLUMN name_skel TYPE text COLLATE "C",
    ALTER COLUMN first_skel TYPE text COLLATE "C", ALTER COLUMN mother_skel TYPE text COLLATE "C",
    ALTER COLUMN nik_birth TYPE text COLLATE "C";
ALTER TABLE staging.identity_node
    ALTER COLUMN nik TYPE text COLLATE "C", ALTER COLUMN name_skel TYPE text COLLATE "C",
    ALTER COLUMN first_skel TYPE text COLLATE "C", ALTER COLUMN mother_skel TYPE text COLLATE "C",
    ALTER COLUMN nik_birth TYPE text COLLATE "C";
-- A column's statistics go with its old type: without them the candidate
-- query's plan guesses thousands of nodes a NIK.
ANALYZE warehouse.identity_node;
