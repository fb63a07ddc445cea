-- A user's credentials for the API and for OAuth apps. Secrets are random
-- and stored only as SHA-256 hashes; a fresh one also waits, encrypted
-- (AES-256-GCM, nonce || ciphertext), until its owner has seen it once.

-- The Docs API key: at most one live key per user; regenerating revokes
-- the old one.
CREATE TABLE api_keys (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id        uuid NOT NULL REFERENCES users (id),
    -- The start of the key, shown so its owner can recognise it.
    prefix         text NOT NULL,
    key_hash       bytea NOT NULL UNIQUE CHECK (octet_length(key_hash) = 32),
    unseen_key     bytea,
    created_at     timestamptz NOT NULL,
    revoked_at     timestamptz
);
CREATE UNIQUE INDEX api_keys_one_live_per_user ON api_keys (user_id) WHERE revoked_at IS NULL;

-- OAuth apps a user created (My Apps).
CREATE TABLE oauth_apps (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id        uuid NOT NULL REFERENCES users (id),
    name           text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    redirect_url   text NOT NULL CHECK (char_length(redirect_url) BETWEEN 1 AND 2000),
    client_id      text NOT NULL UNIQUE,
    secret_hash    bytea NOT NULL CHECK (octet_length(secret_hash) = 32),
    unseen_secret  bytea,
    created_at     timestamptz NOT NULL,
    deleted_at     timestamptz
);
CREATE INDEX oauth_apps_user_idx ON oauth_apps (user_id) WHERE deleted_at IS NULL;

-- Apps a user allowed to act with their credentials (Authorized Apps). The
-- OAuth flow that adds rows comes later; revoking keeps the row.
CREATE TABLE authorized_apps (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id        uuid NOT NULL REFERENCES users (id),
    app_id         uuid NOT NULL REFERENCES oauth_apps (id),
    authorized_at  timestamptz NOT NULL,
    revoked_at     timestamptz
);
CREATE INDEX authorized_apps_user_idx ON authorized_apps (user_id) WHERE revoked_at IS NULL;
