-- 006: a session walks a space's log in local order (space_id, id > cursor); without this index
-- each batch of 256 sorted the whole space's log.
CREATE INDEX sync_log_space_order ON sync_log (space_id, id);
