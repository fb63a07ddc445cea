-- Invite from CSV: an uploaded file of people, kept between its check and
-- Create (so the page works without JavaScript, and a second press of
-- Create finds the file finished and creates nobody twice). The file holds
-- people's addresses: the purge job deletes it a week after its upload.
CREATE TABLE csv_invites (
    id           uuid PRIMARY KEY,
    account_id   uuid NOT NULL REFERENCES accounts (id),
    uploaded_by  uuid NOT NULL REFERENCES users (id),
    file_name    text NOT NULL,
    -- UTF-8 text, as uploaded, without a byte order mark.
    content      text NOT NULL,
    row_count    integer NOT NULL,
    uploaded_at  timestamptz NOT NULL,
    -- Set by Create, with each row as it was then (created, or its problems).
    finished_at  timestamptz,
    outcome      jsonb,
    CHECK ((finished_at IS NULL) = (outcome IS NULL))
);
CREATE INDEX csv_invites_uploaded_idx ON csv_invites (uploaded_at);
