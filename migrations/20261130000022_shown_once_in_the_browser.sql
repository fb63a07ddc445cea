-- Fresh API keys, App Secrets and recovery codes are no longer kept by the
-- server until they are seen: the response that makes them hands them to
-- the browser (a sealed, ten-minute cookie), and the server keeps only
-- their hashes. Any still unseen are dropped with the columns; their
-- owners can make new ones.
ALTER TABLE api_keys DROP COLUMN unseen_key;
ALTER TABLE oauth_apps DROP COLUMN unseen_secret;
ALTER TABLE two_factor DROP COLUMN unseen_recovery_codes;
