-- The export listing each node tonight (the twin guard compares these), and
-- its birth year (0: none), by which a big night's new nodes are batched.
-- Neither temp table has an index yet (night_node gets its own once the new
-- nodes are laid out, resolve.py): with indexes, the planner walked 12.9 M
-- temp rows in node order, a random read each through the session's few temp
-- buffers (68 s here, 260 s joining the two for the new nodes).
CREATE TEMP TABLE night_node ON COMMIT DROP AS
SELECT r.node_id, r.export_key, w.node_id IS NULL AS is_new, r.birth_year
FROM (SELECT node_id, min(district_code) AS export_key, coalesce(extract(year FROM min(tgl_lhr))::int, 0) AS birth_year
      FROM night_record GROUP BY node_id) r
LEFT JOIN warehouse.identity_node w USING (node_id);
