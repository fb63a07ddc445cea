-- The API's users (GET /v2/users) are kept by the server between changes,
-- as Manage > Users pages are: under the account's users version. A user
-- resource also shows the time zone, job title, phone, alternate emails
-- and when the user last changed, so changing any of them raises the
-- version too (every change of a user writes `updated_at`).
DROP TRIGGER users_update_account ON users;

CREATE TRIGGER users_update_account
    AFTER INSERT OR DELETE
       OR UPDATE OF account_id, deleted_at, name, email, role, password_hash, locked_at,
                    timezone, job_title, phone, alternate_emails, updated_at ON users
    FOR EACH ROW EXECUTE FUNCTION users_update_account();
