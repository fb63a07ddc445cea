-- Two-factor authentication (TOTP), set up by each user for themselves.
-- The secret is AES-256-GCM encrypted (nonce || ciphertext). A row without
-- enabled_at is a setup waiting for its first code. last_used_step makes
-- every code single-use. Fresh recovery codes wait, encrypted, until the
-- person has seen them once.
CREATE TABLE two_factor (
    user_id                  uuid PRIMARY KEY REFERENCES users (id),
    secret_ciphertext        bytea NOT NULL,
    created_at               timestamptz NOT NULL,
    enabled_at               timestamptz,
    last_used_step           bigint NOT NULL DEFAULT 0,
    unseen_recovery_codes    bytea
);

-- Single-use recovery codes, Argon2-hashed (they carry fewer than 112 bits).
CREATE TABLE recovery_codes (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL REFERENCES users (id),
    code_hash  text NOT NULL,
    used_at    timestamptz
);
CREATE INDEX recovery_codes_user_idx ON recovery_codes (user_id) WHERE used_at IS NULL;

-- A password that passed for an account with two-factor authentication:
-- the browser holds the token (hashed here) until it brings a code.
CREATE TABLE two_factor_challenges (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    token_hash  bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    user_id     uuid NOT NULL REFERENCES users (id),
    next_path   text NOT NULL DEFAULT '/',
    failures    integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

-- Keys the server generates for itself when the operator configures none.
CREATE TABLE server_keys (
    name        text PRIMARY KEY,
    key         bytea NOT NULL CHECK (octet_length(key) = 32),
    created_at  timestamptz NOT NULL DEFAULT now()
);
