-- The API's ids. Help Scout's Mailbox API 2.0 numbers its users and
-- mailboxes, and clients written for it read those ids as numbers; the
-- pages keep using the uuids. Existing rows are numbered as the columns
-- are added.
ALTER TABLE users ADD COLUMN number bigint GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX users_number_key ON users (number);
CREATE INDEX users_account_number_idx ON users (account_id, number) WHERE deleted_at IS NULL;

ALTER TABLE inboxes ADD COLUMN number bigint GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX inboxes_number_key ON inboxes (number);
