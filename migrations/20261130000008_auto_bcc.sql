-- Auto Bcc: an address blind-copied on every reply the user sends; empty
-- when there is none.
ALTER TABLE users ADD COLUMN auto_bcc text NOT NULL DEFAULT '' CHECK (char_length(auto_bcc) <= 254);
