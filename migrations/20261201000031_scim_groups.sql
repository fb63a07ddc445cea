-- SCIM Groups are Roster's teams. A team keeps the identity provider's id
-- for it, and a version (its ETag) and last change that every rename and
-- every change of members raises, whichever page or request makes it.
ALTER TABLE teams
    ADD COLUMN scim_external_id text CHECK (char_length(scim_external_id) <= 256),
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN version bigint NOT NULL DEFAULT 1;

CREATE FUNCTION team_members_bump_team() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE teams SET version = version + 1, updated_at = greatest(updated_at, now())
    WHERE id = coalesce(NEW.team_id, OLD.team_id);
    RETURN NULL;
END;
$$;
CREATE TRIGGER team_members_bump_team
    AFTER INSERT OR DELETE ON team_members
    FOR EACH ROW EXECUTE FUNCTION team_members_bump_team();

CREATE FUNCTION teams_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.version = OLD.version THEN
        NEW.version := OLD.version + 1;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER teams_bump_version
    BEFORE UPDATE OF name, scim_external_id ON teams
    FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.scim_external_id IS DISTINCT FROM NEW.scim_external_id)
    EXECUTE FUNCTION teams_bump_version();
