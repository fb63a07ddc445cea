-- Invitation links. The emailed token is 32 random bytes; only its SHA-256
-- is stored. A user has at most one open link: sending a new one revokes the
-- old. A link works until expires_at (the account's invite validity), once.
CREATE TABLE invitations (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid NOT NULL REFERENCES users (id),
    invited_by   uuid REFERENCES users (id),
    token_hash   bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    accepted_at  timestamptz,
    revoked_at   timestamptz
);
CREATE UNIQUE INDEX invitations_one_open_key ON invitations (user_id)
    WHERE accepted_at IS NULL AND revoked_at IS NULL;

-- Add User carries an idempotency key: a second submission of the same
-- form finds the user the first one created instead of making another.
CREATE TABLE user_creations (
    account_id       uuid NOT NULL REFERENCES accounts (id),
    idempotency_key  uuid NOT NULL,
    user_id          uuid NOT NULL REFERENCES users (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, idempotency_key)
);

-- The outbox worker leases the rows it is sending instead of holding a
-- transaction open across SMTP; a lease left by a killed process expires and
-- another worker sends the row again (at least once).
ALTER TABLE outbox_emails ADD COLUMN leased_until timestamptz;

-- Sorting the users table by email or last activity uses an index too.
CREATE INDEX users_account_email_idx ON users (account_id, lower(email), id) WHERE deleted_at IS NULL;
CREATE INDEX users_account_last_active_idx ON users (account_id, last_active_at, id) WHERE deleted_at IS NULL;

-- Every account starts with a few inboxes, so Add User has something to offer.
INSERT INTO inboxes (account_id, name, email)
SELECT a.id, inbox.name, inbox.email
FROM accounts a
CROSS JOIN (VALUES ('Support', 'support@example.com'),
                   ('Sales', 'sales@example.com'),
                   ('Billing', 'billing@example.com')) AS inbox (name, email)
WHERE NOT EXISTS (SELECT 1 FROM inboxes i WHERE i.account_id = a.id);
