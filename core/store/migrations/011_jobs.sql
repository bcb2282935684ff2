-- 011: jobs (export, import, erasure of many). Params and results hold ids, counts, paths and
-- sizes — never memory content. An output file still being written is recorded, so a job
-- interrupted by a crash can be failed at the next boot and its partial file removed.
CREATE TABLE jobs (
  job_id TEXT PRIMARY KEY, kind TEXT NOT NULL, status TEXT NOT NULL, actor TEXT NOT NULL,
  params TEXT NOT NULL, output_path TEXT, done INTEGER NOT NULL DEFAULT 0, total INTEGER NOT NULL DEFAULT 0,
  result TEXT, error TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
);
CREATE INDEX jobs_open ON jobs (status) WHERE status IN ('queued', 'running');
