-- A Light User can't be assigned conversations: becoming one unassigns
-- their open (active and pending) conversations, by the same durable job
-- that moves a deleted user's. `kind` says which the job is: after a
-- deletion it moves every conversation; after a change to Light User only
-- the open ones, and only while the user is still a Light User.
ALTER TABLE user_deletions
    ADD COLUMN kind text NOT NULL DEFAULT 'deletion' CHECK (kind IN ('deletion', 'light_user'));
