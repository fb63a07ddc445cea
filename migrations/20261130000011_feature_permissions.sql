-- Feature permissions (Plus and Pro). A user's custom set, NULL while they
-- follow their role's defaults; and an account's own defaults per role,
-- absent while the built-in ones apply. Billing is never stored for anyone
-- but is the Owner's by rule, so the Owner has no row here.
ALTER TABLE users ADD COLUMN custom_permissions text[]
    CHECK (cardinality(custom_permissions) <= 32);

CREATE TABLE role_permissions (
    account_id   uuid NOT NULL REFERENCES accounts (id),
    role         text NOT NULL CHECK (role IN ('administrator', 'user', 'light_user')),
    permissions  text[] NOT NULL CHECK (cardinality(permissions) <= 32),
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (account_id, role)
);
