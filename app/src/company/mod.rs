//! Company settings: what the Owner and Administrators set for the account.

mod invite_validity;
mod page;

pub use invite_validity::{InviteValidity, MAX_INVITE_DAYS, MIN_INVITE_DAYS};
pub use page::{
    get_company_settings, update_invite_validity, CompanySettings, CompanySettingsPage,
    GetCompanySettings, UpdateInviteValidity,
};

#[cfg(feature = "ssr")]
pub mod store;
