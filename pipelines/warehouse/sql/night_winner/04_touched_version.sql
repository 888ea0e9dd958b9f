CREATE TEMP TABLE touched_version ON COMMIT DROP AS
SELECT DISTINCT v.version_id
FROM touched_person t JOIN warehouse.identity_node i USING (person_id) JOIN warehouse.record_version v USING (node_id)
WHERE %(touched)s;
