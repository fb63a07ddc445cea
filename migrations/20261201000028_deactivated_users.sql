-- Deactivated users: between live and deleted. A deactivated user keeps
-- their row, history and assignments, shows in Manage > Users (when asked
-- for), cannot sign in or use any credential, and does not count toward
-- billing; reactivating them undoes it.
ALTER TABLE users ADD COLUMN deactivated_at timestamptz;

-- The account counts its live (billed) users and its deactivated ones, in
-- the same update of the account row per changed user as before.
ALTER TABLE accounts
    ADD COLUMN deactivated_users integer NOT NULL DEFAULT 0 CHECK (deactivated_users >= 0);

CREATE OR REPLACE FUNCTION users_update_account() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was_live integer := CASE WHEN TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL
                                  AND OLD.deactivated_at IS NULL THEN 1 ELSE 0 END;
    was_off integer := CASE WHEN TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL
                                 AND OLD.deactivated_at IS NOT NULL THEN 1 ELSE 0 END;
    is_live integer := CASE WHEN TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL
                                 AND NEW.deactivated_at IS NULL THEN 1 ELSE 0 END;
    is_off integer := CASE WHEN TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL
                                AND NEW.deactivated_at IS NOT NULL THEN 1 ELSE 0 END;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.account_id = OLD.account_id THEN
        UPDATE accounts
        SET live_users = live_users + is_live - was_live,
            deactivated_users = deactivated_users + is_off - was_off,
            users_version = users_version + 1
        WHERE id = NEW.account_id;
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        UPDATE accounts
        SET live_users = live_users - was_live,
            deactivated_users = deactivated_users - was_off,
            users_version = users_version + 1
        WHERE id = OLD.account_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE accounts
        SET live_users = live_users + is_live,
            deactivated_users = deactivated_users + is_off,
            users_version = users_version + 1
        WHERE id = NEW.account_id;
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER users_update_account ON users;
CREATE TRIGGER users_update_account
    AFTER INSERT OR DELETE
       OR UPDATE OF account_id, deleted_at, deactivated_at, name, email, role, password_hash,
                    locked_at, timezone, job_title, phone, alternate_emails, updated_at ON users
    FOR EACH ROW EXECUTE FUNCTION users_update_account();

-- The walks of the users table and the API skip deactivated users unless
-- asked for them, reading whether a user is deactivated from the index.
DROP INDEX users_account_name_idx;
CREATE INDEX users_account_name_idx ON users (account_id, lower(name), id)
    INCLUDE (deactivated_at) WHERE deleted_at IS NULL;
DROP INDEX users_account_email_idx;
CREATE INDEX users_account_email_idx ON users (account_id, lower(email), id)
    INCLUDE (deactivated_at) WHERE deleted_at IS NULL;
DROP INDEX users_account_role_idx;
CREATE INDEX users_account_role_idx ON users (account_id, role, lower(name), id)
    INCLUDE (deactivated_at) WHERE deleted_at IS NULL;
DROP INDEX users_account_last_active_idx;
CREATE INDEX users_account_last_active_idx
    ON users (account_id, coalesce(last_active_at, '-infinity'::timestamptz), id)
    INCLUDE (deactivated_at) WHERE deleted_at IS NULL;
DROP INDEX users_account_number_idx;
CREATE INDEX users_account_number_idx ON users (account_id, number)
    WHERE deleted_at IS NULL AND deactivated_at IS NULL;
