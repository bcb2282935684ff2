-- 008: invites persist (single use, expiring, revocable) so a restart does not lose them. The
-- one-time secret is sealed under the vault's metadata key; the rest is what the invite carries.
CREATE TABLE invites (
  invite_id TEXT PRIMARY KEY, kind TEXT NOT NULL, secret_nonce BLOB NOT NULL, secret_ct BLOB NOT NULL,
  space_id TEXT, role TEXT, hints TEXT NOT NULL, created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, used_at INTEGER, used_by TEXT, revoked_at INTEGER
);
CREATE INDEX invites_open ON invites (expires_at) WHERE used_at IS NULL AND revoked_at IS NULL;
