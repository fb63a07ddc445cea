-- SCIM writes. What an identity provider last wrote of a user, as it wrote
-- it (name, displayName, emails, active), with the Roster name and email
-- it gave: SCIM answers with it while Roster's own values are still those.
ALTER TABLE users
    ADD COLUMN scim_profile jsonb CHECK (octet_length(scim_profile::text) <= 16384);

-- A user's version is their SCIM resource's ETag: every change to what the
-- resource shows raises it, whichever statement makes it, once per
-- statement that does not raise it itself.
CREATE FUNCTION users_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.version = OLD.version THEN
        NEW.version := OLD.version + 1;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER users_bump_version
    BEFORE UPDATE OF name, email, deactivated_at, deleted_at, scim_user_name, scim_external_id, scim_profile
    ON users
    FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name
          OR OLD.email IS DISTINCT FROM NEW.email
          OR OLD.deactivated_at IS DISTINCT FROM NEW.deactivated_at
          OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
          OR OLD.scim_user_name IS DISTINCT FROM NEW.scim_user_name
          OR OLD.scim_external_id IS DISTINCT FROM NEW.scim_external_id
          OR OLD.scim_profile IS DISTINCT FROM NEW.scim_profile)
    EXECUTE FUNCTION users_bump_version();

-- userName is unique in the account (`uniqueness: server`), whatever the
-- case; a user without one of their own goes by their address. Also the
-- index behind `filter=userName eq "…"`.
CREATE UNIQUE INDEX users_scim_user_name_key ON users (account_id, lower(coalesce(scim_user_name, email)))
    WHERE deleted_at IS NULL;
