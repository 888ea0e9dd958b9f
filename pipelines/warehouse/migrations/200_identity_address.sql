-- Identity compares and blocks on where a person lives (pipelines/identity/
-- model.py): the address as written and the desa's full code. They are not
-- part of a node's id (a move is not a new identity); nodes published before
-- this migration have neither and score on the rest. The indexes serve the
-- neighbours' rules of sql/candidates.sql (see model.py for why these).
ALTER TABLE warehouse.identity_node ADD COLUMN address_key text COLLATE "C", ADD COLUMN desa text COLLATE "C";
ALTER TABLE staging.identity_node ADD COLUMN address_key text COLLATE "C", ADD COLUMN desa text COLLATE "C";
CREATE INDEX identity_node_desa_dob ON warehouse.identity_node (desa, dob);
CREATE INDEX identity_node_desa_name ON warehouse.identity_node (desa, name_skel);
CREATE INDEX identity_node_address_dob ON warehouse.identity_node (address_key, dob);
