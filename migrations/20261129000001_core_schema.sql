-- Roster's core schema. Migrations are append-only: change the schema in a
-- new file, never by editing this one.

CREATE TABLE accounts (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                  text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    plan                  text NOT NULL DEFAULT 'standard' CHECK (plan IN ('standard', 'plus', 'pro')),
    price_per_user_cents  integer NOT NULL DEFAULT 2000 CHECK (price_per_user_cents >= 0),
    invite_validity_days  integer NOT NULL DEFAULT 7 CHECK (invite_validity_days BETWEEN 1 AND 30),
    created_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id             uuid NOT NULL REFERENCES accounts (id),
    name                   text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    email                  text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
    role                   text NOT NULL CHECK (role IN ('owner', 'administrator', 'user', 'light_user')),
    -- NULL until the person sets a password (setup or accepting an invite).
    password_hash          text,
    failed_login_attempts  integer NOT NULL DEFAULT 0 CHECK (failed_login_attempts >= 0),
    locked_at              timestamptz,
    last_active_at         timestamptz,
    -- Bumped by every edit, so a stale save can be refused instead of overwriting.
    version                bigint NOT NULL DEFAULT 1,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    deleted_at             timestamptz
);

-- Sign-in is by email alone, so a live address is unique across accounts;
-- a deleted user's address is free for a new user.
CREATE UNIQUE INDEX users_live_email_key ON users (lower(email)) WHERE deleted_at IS NULL;
-- Exactly one live Owner per account (at least one is kept by the code).
CREATE UNIQUE INDEX users_one_owner_key ON users (account_id) WHERE role = 'owner' AND deleted_at IS NULL;
CREATE INDEX users_account_name_idx ON users (account_id, lower(name), id) WHERE deleted_at IS NULL;

CREATE TABLE inboxes (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id  uuid NOT NULL REFERENCES accounts (id),
    name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    email       text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, name)
);

CREATE TABLE user_inboxes (
    user_id   uuid NOT NULL REFERENCES users (id),
    inbox_id  uuid NOT NULL REFERENCES inboxes (id),
    PRIMARY KEY (user_id, inbox_id)
);
CREATE INDEX user_inboxes_inbox_idx ON user_inboxes (inbox_id);

CREATE TABLE teams (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id  uuid NOT NULL REFERENCES accounts (id),
    name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, name)
);

CREATE TABLE team_members (
    team_id  uuid NOT NULL REFERENCES teams (id),
    user_id  uuid NOT NULL REFERENCES users (id),
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user_idx ON team_members (user_id);

-- A signed-in browser. The cookie holds a random token; only its SHA-256 is here.
CREATE TABLE sessions (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    token_hash    bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    user_id       uuid NOT NULL REFERENCES users (id),
    user_agent    text NOT NULL DEFAULT '',
    ip            text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz
);
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE revoked_at IS NULL;

-- Every email is written here in the same transaction as the change that
-- caused it; a worker delivers it. `message_id` stays the same across
-- retries so a duplicate delivery is recognisable.
CREATE TABLE outbox_emails (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    message_id       text NOT NULL UNIQUE,
    account_id       uuid REFERENCES accounts (id),
    to_address       text NOT NULL,
    subject          text NOT NULL,
    body_text        text NOT NULL,
    body_html        text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    sent_at          timestamptz,
    dead_at          timestamptz
);
CREATE INDEX outbox_emails_due_idx ON outbox_emails (next_attempt_at)
    WHERE sent_at IS NULL AND dead_at IS NULL;

-- Who did what to whom, when, from where. Rows are never changed.
CREATE TABLE audit_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id      uuid NOT NULL REFERENCES accounts (id),
    actor_user_id   uuid REFERENCES users (id),
    target_user_id  uuid REFERENCES users (id),
    action          text NOT NULL,
    details         jsonb NOT NULL DEFAULT '{}',
    ip              text NOT NULL DEFAULT '',
    request_id      text NOT NULL DEFAULT '',
    occurred_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_account_idx ON audit_events (account_id, occurred_at DESC);
CREATE INDEX audit_events_target_idx ON audit_events (target_user_id, occurred_at DESC);

CREATE FUNCTION audit_events_are_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events cannot be changed or removed';
END;
$$;

CREATE TRIGGER audit_events_append_only
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_are_append_only();
