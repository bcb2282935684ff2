-- 013: a PIN per local profile on a shared computer. Only an Argon2id hash is stored (JSON:
-- salt, limits, hash); wrong PINs back off like the vault unlock (failures in a row, not_before).
-- A PIN guards a profile against the other people on this computer; it encrypts nothing.
ALTER TABLE members ADD COLUMN pin_hash TEXT;
ALTER TABLE members ADD COLUMN pin_failed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN pin_not_before INTEGER;
