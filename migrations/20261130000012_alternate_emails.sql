-- Other addresses a user writes from; mail from them is matched to the user.
ALTER TABLE users ADD COLUMN alternate_emails text[] NOT NULL DEFAULT '{}'
    CHECK (cardinality(alternate_emails) <= 5);
