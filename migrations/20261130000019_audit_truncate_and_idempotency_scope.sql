-- The audit log refuses TRUNCATE too (UPDATE and DELETE were refused from
-- the start).
CREATE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_are_append_only();

-- Add User's idempotency keys belong to the admin who submitted the form:
-- another admin presenting the same key finds nothing of theirs. The rows
-- only matter for the seconds in which a form may be resubmitted, so the
-- few that exist are dropped rather than guessed an owner.
DELETE FROM user_creations;
ALTER TABLE user_creations ADD COLUMN created_by uuid NOT NULL REFERENCES users (id);
ALTER TABLE user_creations DROP CONSTRAINT user_creations_pkey;
ALTER TABLE user_creations ADD PRIMARY KEY (account_id, created_by, idempotency_key);
