-- A running run the server failed because it took the run's runner for lost (heartbeat lapsed,
-- removed, recovery) may still be executing in that runner if it is alive after all: its next
-- heartbeat tells it to let go (docs/runs.md, "A runner taken for lost"), once: stop_signalled_at.
ALTER TABLE runs ADD COLUMN runner_lost_at timestamptz;
CREATE INDEX runs_lost_untold ON runs (runner_id) WHERE runner_lost_at IS NOT NULL AND stop_signalled_at IS NULL;
