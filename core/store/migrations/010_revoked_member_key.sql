-- 010: a device revoked by someone other than its person leaves that person's member key in a
-- revoked device's hands until the person rotates it. The member's public key at revocation is
-- kept, so every device knows: while it is still the member's key, seal to that person's
-- remaining devices instead (epoch keys, RED memory keys).
ALTER TABLE devices ADD COLUMN revoked_member_key BLOB;
