-- Access tokens the OAuth token endpoint hands out, stored as SHA-256 only.
-- A token works while it is unexpired, its app is not deleted, the
-- authorization it came from is not revoked (there is none for the
-- client-credentials grant, where the app acts as its maker), and its user
-- can sign in: each is checked on every request, so ending any of them ends
-- the token at once.
CREATE TABLE oauth_tokens (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    app_id            uuid NOT NULL REFERENCES oauth_apps (id),
    user_id           uuid NOT NULL REFERENCES users (id),
    authorization_id  uuid REFERENCES authorized_apps (id),
    access_hash       bytea NOT NULL UNIQUE CHECK (octet_length(access_hash) = 32),
    created_at        timestamptz NOT NULL,
    expires_at        timestamptz NOT NULL
);
CREATE INDEX oauth_tokens_app_idx ON oauth_tokens (app_id);
CREATE INDEX oauth_tokens_expiry_idx ON oauth_tokens (expires_at);
