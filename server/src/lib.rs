//! The Roster server: configuration, the HTTP stack around the Leptos app,
//! and the operator's commands.

pub mod audit_export;
pub mod avatars;
pub mod config;
pub mod deletion_jobs;
pub mod healthz;
pub mod middleware;
pub mod outbox;
pub mod purge_jobs;
pub mod restore_user;
pub mod seed_demo;
pub mod serve;
pub mod telemetry;
