-- Manage > Users filters by a feature permission, which the account's
-- default permissions for a role decide for everyone following them: a
-- change to those raises the account's users version (see
-- `users_page_version`), so no kept page shows the old answer. (A user's
-- own custom set is saved with `updated_at`, which raises it already.)
CREATE FUNCTION role_permissions_update_account() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER role_permissions_update_account
    AFTER INSERT OR UPDATE OR DELETE ON role_permissions
    FOR EACH ROW EXECUTE FUNCTION role_permissions_update_account();
