-- The outbox: every event is written in the transaction of the state change it describes, then
-- published by the outbox publisher (FOR UPDATE SKIP LOCKED, so several replicas never send a row twice).
CREATE TABLE caracal_outbox (
  id bigserial PRIMARY KEY,
  producer text NOT NULL DEFAULT 'coordinator',
  topic text NOT NULL,
  zone_id text,
  event_type text NOT NULL,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'published', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  available_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  last_error text
);
CREATE INDEX caracal_outbox_pending ON caracal_outbox (available_at, id) WHERE status = 'pending';
CREATE INDEX caracal_outbox_published ON caracal_outbox (published_at) WHERE status = 'published';
