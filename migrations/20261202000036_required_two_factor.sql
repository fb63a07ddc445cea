-- Company > Security: the roles whose users must sign in with two-factor
-- authentication. A session of such a user without it opens nothing but
-- the two-factor set-up until it is on (see `session::store::find_viewer`).
ALTER TABLE accounts
    ADD COLUMN two_factor_required_roles text[] NOT NULL DEFAULT '{}'
        CHECK (two_factor_required_roles <@ ARRAY['owner', 'administrator', 'user', 'light_user']);

-- The users table shows who lacks two-factor authentication their role
-- requires, so both the requirement and each user's two-factor state raise
-- the account's users version (see `users_page_version`).
DROP TRIGGER accounts_bump_users_version ON accounts;
CREATE TRIGGER accounts_bump_users_version
    BEFORE UPDATE OF plan, price_per_user_cents, two_factor_required_roles ON accounts
    FOR EACH ROW EXECUTE FUNCTION accounts_bump_users_version();

CREATE TRIGGER two_factor_update_account
    AFTER INSERT OR DELETE OR UPDATE OF enabled_at ON two_factor
    FOR EACH ROW EXECUTE FUNCTION user_details_update_account();
