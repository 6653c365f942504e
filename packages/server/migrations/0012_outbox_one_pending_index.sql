-- Publishers claim pending rows in id order (caracal_outbox_pending_id, 0004); nothing reads
-- pending rows by available_at any more, so its index only cost an entry on every row written
-- (about a dozen per run).
DROP INDEX IF EXISTS caracal_outbox_pending;
