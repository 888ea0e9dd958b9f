-- Identity's birth date + last word of the name rule (pipelines/identity/
-- model.py): a person whose given name was written differently (I NUR / IMAS
-- NUR, FTRI / FITRI) and whose mother's name is missing or spelled otherwise
-- is found through the rest of the name. The expression is the one
-- sql/candidates.sql joins on; a date holds ~440 people of the province, and
-- their last words rarely repeat.
CREATE INDEX identity_node_dob_last ON warehouse.identity_node (dob, split_part(name_key, ' ', -1));
