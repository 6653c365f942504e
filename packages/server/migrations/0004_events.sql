-- Publishers claim pending rows in id order: a partial index on id keeps that claim cheap however
-- many published rows the retention window still holds.
CREATE INDEX caracal_outbox_pending_id ON caracal_outbox (id) WHERE status = 'pending';
-- One row per periodic job: a replica runs a tick only while it holds the job's lease, so with
-- several replicas each job still runs about once per interval (and never needs a held connection).
CREATE TABLE caracal_job_leases (
  job text PRIMARY KEY,
  owner text NOT NULL,
  lease_until timestamptz NOT NULL,
  last_run_at timestamptz
);
