-- 005: each memory's wrapped key beside its row, so unlock opens content without first decrypting
-- the metadata. The wrap is already ciphertext (under the epoch key or the device key) or sealed
-- boxes (RED: keyed by recipient member id — ids, already plaintext elsewhere).
ALTER TABLE memories ADD COLUMN dek_wrap TEXT;
