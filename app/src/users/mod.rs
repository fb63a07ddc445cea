//! Manage > Users: the account's people, for its Owner and Administrators.

mod error;
mod list_users;
mod page;
mod user_row;
mod user_table;
mod users_query;

pub use error::UsersError;
pub use list_users::{list_users, ListUsers};
pub use page::ManageUsersPage;
pub use user_row::{UserRow, UserStatus};
pub use users_query::{Billing, SortKey, UsersPage, UsersQuery, PAGE_SIZE};

#[cfg(feature = "ssr")]
pub mod store;

/// The signed-in viewer, if they are the Owner or an Administrator.
#[cfg(feature = "ssr")]
pub fn require_user_manager() -> Result<crate::session::Viewer, UsersError> {
    let viewer = crate::session::Viewer::current().ok_or(UsersError::SignInRequired)?;
    if viewer.role.manages_users() {
        Ok(viewer)
    } else {
        Err(UsersError::Forbidden)
    }
}
