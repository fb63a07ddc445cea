-- Profile photos, already resized to a square PNG avatar. The etag changes
-- with every upload, so a photo's address (which carries it) can be cached
-- for good.
CREATE TABLE user_photos (
    user_id     uuid PRIMARY KEY REFERENCES users (id),
    image       bytea NOT NULL CHECK (octet_length(image) <= 1048576),
    etag        text NOT NULL,
    updated_at  timestamptz NOT NULL
);
