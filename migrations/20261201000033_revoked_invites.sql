-- Revoke invite: an admin ends an open invite link without sending another.
-- Who did is kept on the invitation, so Manage > Users can tell a revoked
-- invite from one replaced by a newer link or ended by an address change.
ALTER TABLE invitations ADD COLUMN revoked_by uuid REFERENCES users (id);
