-- What a user's Profile section holds besides name and email. Empty text
-- means "not given".
ALTER TABLE users
    ADD COLUMN job_title   text NOT NULL DEFAULT '' CHECK (char_length(job_title) <= 100),
    ADD COLUMN phone       text NOT NULL DEFAULT '' CHECK (char_length(phone) <= 32),
    ADD COLUMN pronouns    text NOT NULL DEFAULT '' CHECK (char_length(pronouns) <= 40),
    ADD COLUMN timezone    text NOT NULL DEFAULT 'UTC' CHECK (char_length(timezone) BETWEEN 1 AND 64),
    ADD COLUMN time_format text NOT NULL DEFAULT '24h' CHECK (time_format IN ('12h', '24h'));
