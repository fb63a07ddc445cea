//! First run: when no account exists, the person installing Roster creates
//! the account and its Owner, and is signed in.

mod error;
mod new_account;
mod page;
mod set_up_roster;
mod setup_needed;

pub use error::SetupError;
pub use new_account::NewAccount;
pub use page::SetupPage;
pub use set_up_roster::{set_up_roster, SetUpRoster};
pub use setup_needed::{setup_needed, SetupNeeded};

#[cfg(feature = "ssr")]
pub mod store;
