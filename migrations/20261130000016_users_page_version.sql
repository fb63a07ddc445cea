-- Manage > Users pages kept by the server between changes.
--
-- Each account carries a version of what its users table and Add User show:
-- the database raises it in the same transaction as every change to a
-- user's name, email, role, password, lock or deletion, their inboxes,
-- invitations or photo, the account's inboxes, plan or price. A server keeps
-- a rendered page under the version it was read at; the session lookup
-- reads the version, so a page view after any change finds no page kept
-- for it, on every server sharing the database. "Last active" is not part
-- of the version (it changes once a minute for everyone signed in); kept
-- pages expire after a short time instead.
ALTER TABLE accounts ADD COLUMN users_version bigint NOT NULL DEFAULT 0;

-- The live-user count and the version move together, in one update of the
-- account row per changed user.
DROP TRIGGER users_count_live ON users;
DROP FUNCTION users_count_live();

CREATE FUNCTION users_update_account() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was_live integer := CASE WHEN TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL THEN 1 ELSE 0 END;
    is_live integer := CASE WHEN TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL THEN 1 ELSE 0 END;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.account_id = OLD.account_id THEN
        UPDATE accounts
        SET live_users = live_users + is_live - was_live, users_version = users_version + 1
        WHERE id = NEW.account_id;
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        UPDATE accounts
        SET live_users = live_users - was_live, users_version = users_version + 1
        WHERE id = OLD.account_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE accounts
        SET live_users = live_users + is_live, users_version = users_version + 1
        WHERE id = NEW.account_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER users_update_account
    AFTER INSERT OR DELETE
       OR UPDATE OF account_id, deleted_at, name, email, role, password_hash, locked_at ON users
    FOR EACH ROW EXECUTE FUNCTION users_update_account();

-- A user's inboxes, invitations and photo show in their row.
CREATE FUNCTION user_details_update_account() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed_user uuid;
BEGIN
    IF TG_OP = 'DELETE' THEN
        changed_user := OLD.user_id;
    ELSE
        changed_user := NEW.user_id;
    END IF;
    UPDATE accounts SET users_version = users_version + 1
    WHERE id = (SELECT account_id FROM users WHERE id = changed_user);
    RETURN NULL;
END
$$;

CREATE TRIGGER user_inboxes_update_account
    AFTER INSERT OR UPDATE OR DELETE ON user_inboxes
    FOR EACH ROW EXECUTE FUNCTION user_details_update_account();
CREATE TRIGGER invitations_update_account
    AFTER INSERT OR UPDATE OR DELETE ON invitations
    FOR EACH ROW EXECUTE FUNCTION user_details_update_account();
CREATE TRIGGER user_photos_update_account
    AFTER INSERT OR UPDATE OR DELETE ON user_photos
    FOR EACH ROW EXECUTE FUNCTION user_details_update_account();

-- The account's inboxes are Add User's choices.
CREATE FUNCTION inboxes_update_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE accounts SET users_version = users_version + 1 WHERE id = OLD.account_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE accounts SET users_version = users_version + 1 WHERE id = NEW.account_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER inboxes_update_account
    AFTER INSERT OR UPDATE OR DELETE ON inboxes
    FOR EACH ROW EXECUTE FUNCTION inboxes_update_account();

-- The plan decides the roles Add User offers; the price is the billing line.
CREATE FUNCTION accounts_bump_users_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.users_version := OLD.users_version + 1;
    RETURN NEW;
END
$$;

CREATE TRIGGER accounts_bump_users_version
    BEFORE UPDATE OF plan, price_per_user_cents ON accounts
    FOR EACH ROW EXECUTE FUNCTION accounts_bump_users_version();
