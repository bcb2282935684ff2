-- 009: two guardians may start the same epoch at once, each with a key of their own. Every seal
-- and chain link now says which device's keyring entry started that key (its origin): a device
-- keeps every key of an epoch (what was written under either still opens) and all devices write
-- under the same one, the lowest origin. Rows from before carry origin '' (the only key there was).
-- A seal may also be addressed to one device ('device:<id>' in member_id): a guardian revoking
-- another person's device seals the new epoch to that person's remaining devices only.
CREATE TABLE epoch_seals_v2 (
  space_id TEXT NOT NULL, epoch INTEGER NOT NULL, member_id TEXT NOT NULL, origin TEXT NOT NULL DEFAULT '', sealed BLOB NOT NULL,
  PRIMARY KEY (space_id, epoch, member_id, origin)
);
INSERT INTO epoch_seals_v2 (space_id, epoch, member_id, origin, sealed) SELECT space_id, epoch, member_id, '', sealed FROM epoch_seals;
DROP TABLE epoch_seals;
ALTER TABLE epoch_seals_v2 RENAME TO epoch_seals;
CREATE TABLE epoch_chain_v2 (
  space_id TEXT NOT NULL, epoch INTEGER NOT NULL, origin TEXT NOT NULL DEFAULT '', nonce BLOB NOT NULL, ciphertext BLOB NOT NULL,
  PRIMARY KEY (space_id, epoch, origin)
);
INSERT INTO epoch_chain_v2 (space_id, epoch, origin, nonce, ciphertext) SELECT space_id, epoch, '', nonce, ciphertext FROM epoch_chain;
DROP TABLE epoch_chain;
ALTER TABLE epoch_chain_v2 RENAME TO epoch_chain;
