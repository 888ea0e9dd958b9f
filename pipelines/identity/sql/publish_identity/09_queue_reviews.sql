-- A pair already queued keeps its place (and any decision on it).
INSERT INTO warehouse.identity_review (node_l, node_r, person_l, person_r, match_weight, weights, night)
SELECT node_l, node_r, person_l, person_r, match_weight, weights, night
FROM staging.identity_review WHERE night = %(night)s
ON CONFLICT DO NOTHING;
