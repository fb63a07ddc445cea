-- A user's invitations, newest first: Manage > Users reads whether each
-- row's latest invitation was revoked, and without this index that was a
-- scan of every invitation in the database for each of the page's 50 rows
-- (5 of the page's 6 ms at 10,000 users). It also serves the foreign key
-- from users when a user is purged.
CREATE INDEX invitations_user_latest_idx ON invitations (user_id, created_at DESC);
