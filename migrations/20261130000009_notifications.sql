-- Which notifications a user gets, as "event:channel" keys; NULL until they
-- (or an admin) first save, meaning the defaults.
ALTER TABLE users ADD COLUMN notifications text[] CHECK (cardinality(notifications) <= 64);
