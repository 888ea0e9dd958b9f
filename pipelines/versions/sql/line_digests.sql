-- The md5 of each data line's raw bytes (its line ending left out), in line
-- order, as the two little-endian halves of the digest (bytes 0-7, 8-15):
-- md5_number reads the digest as one little-endian 128-bit number.
SELECT (md5_number(line) & 18446744073709551615)::UBIGINT AS low, (md5_number(line) >> 64)::UBIGINT AS high
FROM lines WHERE data
