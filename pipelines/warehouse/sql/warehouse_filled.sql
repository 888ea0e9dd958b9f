-- Whether the warehouse holds any golden record: else tonight is a first night.
SELECT EXISTS (SELECT 1 FROM warehouse.golden_record)
