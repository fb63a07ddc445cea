-- The users table at 10,000 users: every sort key is served by an index
-- (name, email, role then name, last activity), and search by name or email
-- uses a trigram index over one lower-cased key instead of scanning.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE users
    ADD COLUMN search_key text GENERATED ALWAYS AS (lower(name) || ' ' || lower(email)) STORED;
CREATE INDEX users_search_key_trgm_idx ON users USING gin (search_key gin_trgm_ops)
    WHERE deleted_at IS NULL;

CREATE INDEX users_account_role_idx ON users (account_id, role, lower(name), id)
    WHERE deleted_at IS NULL;
DROP INDEX users_account_last_active_idx;
CREATE INDEX users_account_last_active_idx ON users (account_id, last_active_at NULLS FIRST, id)
    WHERE deleted_at IS NULL;
