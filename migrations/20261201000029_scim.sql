-- SCIM provisioning: the account's tokens (made in Company > Provisioning,
-- stored as SHA-256 only), and what an identity provider calls a user:
-- its own id for them (`externalId`) and their `userName` when it is not
-- their email address.
CREATE TABLE scim_tokens (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id    uuid NOT NULL REFERENCES accounts (id),
    token_hash    bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    -- The first characters, to recognise the token by.
    prefix        text NOT NULL CHECK (char_length(prefix) <= 16),
    created_by    uuid NOT NULL REFERENCES users (id),
    created_at    timestamptz NOT NULL,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
-- One live token per account: making a new one revokes the old.
CREATE UNIQUE INDEX scim_tokens_live_key ON scim_tokens (account_id) WHERE revoked_at IS NULL;

ALTER TABLE users
    ADD COLUMN scim_external_id text CHECK (char_length(scim_external_id) <= 256),
    ADD COLUMN scim_user_name text CHECK (char_length(scim_user_name) <= 256);
CREATE INDEX users_scim_external_id_idx ON users (account_id, scim_external_id)
    WHERE deleted_at IS NULL AND scim_external_id IS NOT NULL;
