-- Each record of a catalogue night with its identity node.
SELECT district_code || ':' || source_row, node_id FROM warehouse.resident_record WHERE export_date = %(night)s
