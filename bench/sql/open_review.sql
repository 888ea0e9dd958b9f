-- Pairs of nodes left apart for a reviewer and not decided yet.
SELECT node_l, node_r FROM warehouse.identity_review WHERE decision IS NULL
