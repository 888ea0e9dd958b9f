-- Persons whose golden record tonight's publish may change, first part: the
-- owners of nodes that identity moves to another person tonight, read before
-- the move is applied. refresh_person.sql adds the rest.
CREATE TEMP TABLE touched_person ON COMMIT DROP AS
SELECT w.person_id FROM staging.node_person s JOIN warehouse.identity_node w USING (node_id)
WHERE s.export_date = %(night)s;
