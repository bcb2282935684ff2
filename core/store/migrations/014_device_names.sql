-- 014: a name for each device ("Ann's laptop"), given on this device and kept here: sealed under
-- the vault's metadata key like every other name. NULL: never named (the list shows the platform).
ALTER TABLE devices ADD COLUMN name_nonce BLOB;
ALTER TABLE devices ADD COLUMN name_ct BLOB;
