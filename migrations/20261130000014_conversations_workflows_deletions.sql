-- What deleting a user touches. Conversations live in inboxes, may have an
-- assignee, and hold threads (the customer's messages, replies and notes,
-- each with its author). Workflows have conditions and actions; an action
-- may name a user ({"type": "assign", "user_id": …}).
CREATE TABLE conversations (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id      uuid NOT NULL REFERENCES accounts (id),
    inbox_id        uuid NOT NULL REFERENCES inboxes (id),
    subject         text NOT NULL CHECK (char_length(subject) BETWEEN 1 AND 200),
    customer_email  text NOT NULL CHECK (char_length(customer_email) BETWEEN 3 AND 254),
    status          text NOT NULL CHECK (status IN ('active', 'pending', 'closed')),
    assignee_id     uuid REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
-- The unassign job walks a user's conversations by key.
CREATE INDEX conversations_assignee_idx ON conversations (assignee_id, id) WHERE assignee_id IS NOT NULL;
CREATE INDEX conversations_inbox_idx ON conversations (inbox_id, created_at DESC, id);

CREATE TABLE conversation_threads (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    conversation_id  uuid NOT NULL REFERENCES conversations (id),
    kind             text NOT NULL CHECK (kind IN ('customer', 'reply', 'note')),
    author_id        uuid REFERENCES users (id),
    body             text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversation_threads_conversation_idx ON conversation_threads (conversation_id, created_at);

CREATE TABLE workflows (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id       uuid NOT NULL REFERENCES accounts (id),
    name             text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    active           boolean NOT NULL DEFAULT true,
    conditions       jsonb NOT NULL DEFAULT '[]',
    actions          jsonb NOT NULL DEFAULT '[]',
    -- Why it was made inactive, when Roster did it.
    inactive_reason  text,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX workflows_account_idx ON workflows (account_id, lower(name));

-- A deleted user, and the durable job that unassigns (or reassigns) their
-- conversations in batches. Progress is written in each batch's
-- transaction, so a restart resumes where the last commit left off.
CREATE TABLE user_deletions (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id           uuid NOT NULL REFERENCES accounts (id),
    user_id              uuid NOT NULL REFERENCES users (id),
    actor_id             uuid REFERENCES users (id),
    reason               text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 600),
    -- The teammate who receives the open conversations, if one was named.
    reassign_to          uuid REFERENCES users (id),
    conversations_total  bigint NOT NULL DEFAULT 0,
    conversations_done   bigint NOT NULL DEFAULT 0,
    leased_until         timestamptz,
    created_at           timestamptz NOT NULL,
    finished_at          timestamptz
);
CREATE INDEX user_deletions_pending_idx ON user_deletions (created_at) WHERE finished_at IS NULL;
