-- Manage > Audit log reads an account's events newest first, a page at a
-- time after the last one shown (occurred_at, id), optionally only those by
-- or about one person, or of one kind: each of these reads walks one index
-- from where the page starts, however many events there are.
DROP INDEX audit_events_account_idx;
DROP INDEX audit_events_target_idx;
CREATE INDEX audit_events_account_idx ON audit_events (account_id, occurred_at DESC, id DESC);
CREATE INDEX audit_events_account_action_idx ON audit_events (account_id, action, occurred_at DESC, id DESC);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_user_id, occurred_at DESC, id DESC);
CREATE INDEX audit_events_target_idx ON audit_events (target_user_id, occurred_at DESC, id DESC);
