-- Login with the Bürgerkonto (BundID over SAML, state accounts and others over OpenID Connect):
-- server/identity/, docs/buergerkonto.md.

-- Which person at which provider an account is: bPK2 (BundID) or `sub` (OIDC). One person of a
-- provider is one account of the town; an account may be linked to several providers.
CREATE TABLE account_identities (
  tenant_id TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  account_id TEXT NOT NULL,
  trust_level TEXT NOT NULL CHECK (trust_level IN ('basic', 'substantial', 'high')),
  linked_at INTEGER NOT NULL,
  last_login_at INTEGER,
  PRIMARY KEY (tenant_id, provider_id, subject),
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE UNIQUE INDEX account_identities_account ON account_identities (tenant_id, account_id, provider_id);

-- A login under way at a provider, from the widget's start to the provider's answer; `id` is the
-- SHA-256 of the `state` (OIDC) or RelayState (SAML) that travels through the provider. Used once.
CREATE TABLE identity_flows (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  -- OIDC: the nonce and the PKCE verifier of this login; SAML: the AuthnRequest's ID.
  nonce TEXT,
  code_verifier TEXT,
  request_id TEXT,
  -- The page that started it, and how the code goes back there.
  origin TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('popup', 'redirect')),
  return_to TEXT,
  -- The widget's PKCE-style challenge: the code it gets is useless without the verifier.
  challenge TEXT NOT NULL,
  lang TEXT NOT NULL,
  -- Set when a logged-in account links this provider.
  link_account_id TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;
CREATE INDEX identity_flows_expiry ON identity_flows (expires_at);

-- The one-time code the widget exchanges for a session (and link intents of logged-in accounts):
-- only its SHA-256 is kept.
CREATE TABLE identity_codes (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  purpose TEXT NOT NULL CHECK (purpose IN ('login', 'link')),
  account_id TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  trust_level TEXT,
  challenge TEXT,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;
CREATE INDEX identity_codes_expiry ON identity_codes (expires_at);

-- SAML assertions seen, until they expire: the same assertion posted twice is refused.
CREATE TABLE saml_assertions (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;

-- How sure the login of a session was, for forms that demand a trust level.
ALTER TABLE sessions ADD COLUMN trust_level TEXT;
ALTER TABLE sessions ADD COLUMN identity_provider TEXT;

-- Accounts made from a provider's login: confirmed by the provider instead of a mobile code.
ALTER TABLE accounts ADD COLUMN identity_verified_at INTEGER;
