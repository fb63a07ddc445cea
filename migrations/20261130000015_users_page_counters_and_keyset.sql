-- Manage > Users at constant cost per page view.
--
-- Each account keeps the number of its live users (the billing line, and
-- the users table's page count), kept by the database in the same
-- transaction as every change that adds, deletes or restores a user.
ALTER TABLE accounts ADD COLUMN live_users integer NOT NULL DEFAULT 0 CHECK (live_users >= 0);

UPDATE accounts a
SET live_users = (SELECT count(*) FROM users u WHERE u.account_id = a.id AND u.deleted_at IS NULL);

CREATE FUNCTION users_count_live() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL
       AND (TG_OP = 'DELETE' OR NEW.deleted_at IS NOT NULL OR NEW.account_id <> OLD.account_id) THEN
        UPDATE accounts SET live_users = live_users - 1 WHERE id = OLD.account_id;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL
       AND (TG_OP = 'INSERT' OR OLD.deleted_at IS NOT NULL OR NEW.account_id <> OLD.account_id) THEN
        UPDATE accounts SET live_users = live_users + 1 WHERE id = NEW.account_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER users_count_live
    AFTER INSERT OR DELETE OR UPDATE OF deleted_at, account_id ON users
    FOR EACH ROW EXECUTE FUNCTION users_count_live();

-- Keyset paging compares (sort key, id) rows, so "last active" sorts by a
-- key without NULLs: never active counts as the earliest.
DROP INDEX users_account_last_active_idx;
CREATE INDEX users_account_last_active_idx
    ON users (account_id, coalesce(last_active_at, '-infinity'::timestamptz), id)
    WHERE deleted_at IS NULL;
