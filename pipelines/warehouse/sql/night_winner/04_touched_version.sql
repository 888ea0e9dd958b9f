-- Each version of the touched persons' nodes, whole: the winners are chosen
-- among these and copied from them. Probed by the sorted list of persons, so
-- that the planner, which cannot count it, reads them by index whatever their
-- number (as a join it read all of record_version twice when they were many).
CREATE TEMP TABLE touched_version ON COMMIT DROP AS
SELECT i.person_id, v.*
FROM warehouse.identity_node i JOIN warehouse.record_version v USING (node_id)
WHERE %(touched)s AND i.person_id = ANY (ARRAY(SELECT person_id FROM touched_person));
