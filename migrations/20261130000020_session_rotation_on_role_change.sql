-- A role change (including handing over ownership) marks the user's live
-- sessions for rotation: on its next request each is replaced by a new
-- session with a new token (same browser, same absolute lifetime, no
-- recent password confirmation), and the old token stops working.
ALTER TABLE sessions ADD COLUMN rotate boolean NOT NULL DEFAULT false;

CREATE FUNCTION users_rotate_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sessions SET rotate = true WHERE user_id = NEW.id AND revoked_at IS NULL;
    RETURN NULL;
END
$$;

CREATE TRIGGER users_rotate_sessions
    AFTER UPDATE OF role ON users
    FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role)
    EXECUTE FUNCTION users_rotate_sessions();
