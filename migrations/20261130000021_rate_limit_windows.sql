-- Rate-limit windows, shared by every server on this database: one row per
-- (action, client), a fixed one-minute window counted by upsert. The
-- hourly purge removes windows that began more than an hour ago.
CREATE TABLE rate_limit_windows (
    action      text NOT NULL,
    client      text NOT NULL,
    started_at  timestamptz NOT NULL,
    requests    integer NOT NULL,
    PRIMARY KEY (action, client)
);
CREATE INDEX rate_limit_windows_started_idx ON rate_limit_windows (started_at);
