-- Towns hosted by this deployment. The JSON config is the validated tenants/<slug>/tenant.json;
-- it lives in the database so that Node and Workers deployments read the same thing.
CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  config TEXT NOT NULL,
  config_hash TEXT NOT NULL,
  logo_svg TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
