-- Manage > Users shows how each invitation reached its person: the invite
-- email's state in the outbox (queued, sent, failed with retries left), or
-- that an admin copied the link to hand over themselves (no email).
ALTER TABLE invitations
    ADD COLUMN channel text NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'link')),
    ADD COLUMN email_id uuid REFERENCES outbox_emails (id) ON DELETE SET NULL;
CREATE INDEX invitations_email_idx ON invitations (email_id) WHERE email_id IS NOT NULL;

-- The outbox worker's progress on an invite email shows in its user's row,
-- so it raises the account's users version (see `users_page_version`), as
-- every change a kept page shows does. A lease alone changes nothing shown.
CREATE FUNCTION invite_emails_update_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE accounts SET users_version = users_version + 1
    WHERE id IN (SELECT u.account_id FROM invitations i JOIN users u ON u.id = i.user_id
                 WHERE i.email_id = NEW.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER outbox_emails_update_account
    AFTER UPDATE OF sent_at, attempts, last_error, dead_at ON outbox_emails
    FOR EACH ROW
    WHEN (OLD.sent_at IS DISTINCT FROM NEW.sent_at OR OLD.attempts IS DISTINCT FROM NEW.attempts
          OR OLD.dead_at IS DISTINCT FROM NEW.dead_at)
    EXECUTE FUNCTION invite_emails_update_account();
