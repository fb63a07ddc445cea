//! Small pieces every screen uses.

mod avatar;
mod check;
mod confirm_identity;
mod field;
mod form_alert;
mod form_errors;
mod not_found;
mod plan_gate;
mod status_page;

pub use avatar::Avatar;
pub use check::{Check, Siblings};
pub use confirm_identity::ConfirmIdentity;
pub use field::Field;
pub use form_alert::FormAlert;
pub use form_errors::FormErrors;
pub use not_found::NotFound;
pub use plan_gate::PlanGate;
pub use status_page::StatusPage;
