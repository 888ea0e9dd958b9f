-- The rules failing most on the night, over all districts, with the worst district.
SELECT rule, severity, sum(rows)::int AS rows, count(*)::int AS districts,
       (array_agg(district_code ORDER BY rows DESC, district_code))[1] AS worst_district
FROM audit.rule_count
WHERE export_date = %(night)s
GROUP BY rule, severity
ORDER BY sum(rows) DESC, rule
LIMIT %(limit)s;
