//! Company settings: what the Owner and Administrators set for the account.

mod error;
mod page;
mod permissions_page;
mod security;

pub use error::CompanyError;
pub use page::{
    get_company_settings, update_invite_validity, update_plan, CompanySettings,
    CompanySettingsPage, GetCompanySettings, UpdateInviteValidity, UpdatePlan,
};

pub use security::{update_two_factor_requirement, SecuritySettings, UpdateTwoFactorRequirement};

pub use permissions_page::{
    get_role_defaults, update_role_defaults, GetRoleDefaults, PermissionBoxes, PermissionsPage,
    RoleDefaults, UpdateRoleDefaults, CONFIGURABLE_ROLES,
};

#[cfg(feature = "ssr")]
pub mod store;
