INSERT INTO warehouse.identity_link (node_l, node_r, match_weight, rule, night)
SELECT node_l, node_r, match_weight, rule, night FROM staging.identity_link WHERE night = %(night)s
ON CONFLICT DO NOTHING;
