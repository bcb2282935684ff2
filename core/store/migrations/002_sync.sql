-- 002: peer-to-peer sync. Device trust, address hints, the epoch-key chain, per-peer sync state.
-- a device is 'pending' until its pairing is confirmed, 'trusted' after, 'revoked' when removed
ALTER TABLE devices ADD COLUMN status TEXT NOT NULL DEFAULT 'trusted';
ALTER TABLE devices ADD COLUMN address TEXT;
-- an older epoch key encrypted under the next epoch's key: history stays readable to those who stay
CREATE TABLE epoch_chain (
  space_id TEXT NOT NULL, epoch INTEGER NOT NULL, nonce BLOB NOT NULL, ciphertext BLOB NOT NULL,
  PRIMARY KEY (space_id, epoch)
);
-- what the last session with a peer established, per space (ids and counts only)
CREATE TABLE sync_peers (
  device_id TEXT NOT NULL, space_id TEXT NOT NULL, last_seen INTEGER, verified_at INTEGER,
  behind INTEGER NOT NULL DEFAULT 0, ahead INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (device_id, space_id)
);
