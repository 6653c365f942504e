-- A run carries its blueprint's tags as they were when it was created, so the claim can match a
-- runner's tags without reading the registry (docs/runs.md, "Which runner takes a run").
ALTER TABLE runs ADD COLUMN blueprint_tags text[] NOT NULL DEFAULT '{}';
