-- 007: unlock backoff. Failed unlock attempts in a row, and the time before which no attempt is
-- tried (no Argon2id run), persisted so a restart does not reset the delay.
ALTER TABLE vault ADD COLUMN failed_unlocks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE vault ADD COLUMN unlock_not_before INTEGER;
