-- When the person last confirmed their password in this session: revoking
-- sessions needs a confirmation from the last few minutes.
ALTER TABLE sessions ADD COLUMN reauthenticated_at timestamptz;
