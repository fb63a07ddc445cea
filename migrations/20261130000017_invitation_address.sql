-- An invitation is for the address it was sent to. Changing a user's email
-- revokes their open links, and a link whose address is no longer the
-- user's does not work (a belt to that pair of braces, for rows written
-- before this column existed or by a concurrent change).
ALTER TABLE invitations ADD COLUMN sent_to text;
UPDATE invitations i SET sent_to = u.email FROM users u WHERE u.id = i.user_id;
ALTER TABLE invitations ALTER COLUMN sent_to SET NOT NULL;
