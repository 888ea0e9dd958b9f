-- Every row of these was written by a first night: unvacuumed, the next
-- night's first read of each page sets its hint bits and writes it back, and
-- finds no visibility map (about 30 s at 12.9 M, done here once).
VACUUM warehouse.record_version, warehouse.identity_node, warehouse.golden_record,
       warehouse.person_residence, warehouse.person_winner
