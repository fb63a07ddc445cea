//! Integration tests: the real server on a random port, each test with its
//! own freshly migrated PostgreSQL database. Run them with `./scripts/test`,
//! which starts the database server and the mail sink they use.

mod add_user;
mod audit_log;
mod authorization_code;
mod binary;
mod bulk_invite;
mod company;
mod credentials;
mod deactivation;
mod deletion;
mod forged_requests;
mod helpers;
mod invitations;
mod layers;
mod limits;
mod matrix;
mod oauth;
mod outbox;
mod pages;
mod photos;
mod plans;
mod profile;
mod proxies;
mod purge;
mod required_two_factor;
mod scim;
mod scim_writes;
mod security;
mod security_headers;
mod sessions;
mod setup;
mod sign_in;
mod teams_api;
mod two_factor;
mod users_api;
mod users_table;
