-- The authorization-code grant: a person allows an app (authorized_apps),
-- the app trades a short-lived code for an access token and a refresh
-- token, and trades each refresh token, once, for a new pair. Every secret
-- is stored as SHA-256 only.

-- One live authorization per person and app: allowing again reuses it.
CREATE UNIQUE INDEX authorized_apps_one_live
    ON authorized_apps (user_id, app_id) WHERE revoked_at IS NULL;
-- When the app last called the API with a token of this authorization
-- (written at most every few minutes).
ALTER TABLE authorized_apps ADD COLUMN last_used_at timestamptz;

CREATE TABLE oauth_codes (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    authorization_id  uuid NOT NULL REFERENCES authorized_apps (id),
    code_hash         bytea NOT NULL UNIQUE CHECK (octet_length(code_hash) = 32),
    -- The redirect_uri the authorization request named, if it named one:
    -- the token request must then name the same (RFC 6749 §4.1.3).
    redirect_uri      text,
    -- PKCE (RFC 7636), S256 only.
    code_challenge    text,
    created_at        timestamptz NOT NULL,
    expires_at        timestamptz NOT NULL,
    used_at           timestamptz
);
CREATE INDEX oauth_codes_expiry_idx ON oauth_codes (expires_at);

CREATE TABLE oauth_refresh_tokens (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    authorization_id  uuid NOT NULL REFERENCES authorized_apps (id),
    token_hash        bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    created_at        timestamptz NOT NULL,
    expires_at        timestamptz NOT NULL,
    -- Set when the token was traded for a new one: showing it again means
    -- it leaked, and ends the whole authorization (RFC 9700 §4.14.2).
    used_at           timestamptz
);
CREATE INDEX oauth_refresh_tokens_authorization_idx ON oauth_refresh_tokens (authorization_id);
CREATE INDEX oauth_refresh_tokens_expiry_idx ON oauth_refresh_tokens (expires_at);
