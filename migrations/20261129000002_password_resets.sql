-- Password reset links. The emailed token is 32 random bytes; only its
-- SHA-256 is stored. A link works once, for 60 minutes, and dies when a newer
-- one is issued or the password or email changes (revoked_at).
CREATE TABLE password_resets (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid NOT NULL REFERENCES users (id),
    token_hash   bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id, created_at DESC);
