-- Teams get numbers for the API, as users and inboxes did.
ALTER TABLE teams ADD COLUMN number bigint GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX teams_number_key ON teams (number);
