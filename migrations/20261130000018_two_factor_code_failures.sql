-- Wrong two-factor codes count per user, across challenges: after ten in a
-- row, codes are refused until codes_refused_until (15 minutes, doubling
-- with each further wrong code, at most a day). A right code after the
-- cool-down, or a password reset, clears the count.
ALTER TABLE two_factor
    ADD COLUMN code_failures integer NOT NULL DEFAULT 0,
    ADD COLUMN codes_refused_until timestamptz;

-- A recovery code is found by its first two characters (not secret: 10 of
-- 961 values), so a wrong one costs one Argon2 verification, not ten.
-- Codes made before this column have none and are checked as before.
ALTER TABLE recovery_codes ADD COLUMN lookup text;
CREATE INDEX recovery_codes_lookup_idx ON recovery_codes (user_id, lookup) WHERE used_at IS NULL;
