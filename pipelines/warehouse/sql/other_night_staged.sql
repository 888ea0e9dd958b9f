-- Whether staging holds another night than this one.
SELECT EXISTS (SELECT FROM staging.load WHERE export_date <> %(night)s)
