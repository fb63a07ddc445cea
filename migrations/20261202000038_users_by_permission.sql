-- Manage > Users filters by a feature permission, which the account's
-- default permissions for a role decide for everyone following them: a
-- change to those raises the account's users version (see
-- `users_page_version`), so no kept page shows the old answer. (A user's
-- own custom set is saved with `updated_at`, which raises it already.)
-- The function raises the version of the row's account, whatever the table.
CREATE TRIGGER role_permissions_update_account
    AFTER INSERT OR UPDATE OR DELETE ON role_permissions
    FOR EACH ROW EXECUTE FUNCTION inboxes_update_account();
