//! Manage > Users: the account's people, for its Owner and Administrators.

mod add_user;
mod bulk_invite;
mod error;
mod invite_link;
mod list_users;
mod new_user;
pub mod notice;
mod page;
mod row_actions;
mod row_menu;
mod user_row;
mod user_table;
mod users_query;

pub use add_user::{create_user, CreateUser};
#[cfg(feature = "ssr")]
pub use bulk_invite::{check_csv_file, file as csv_file, CheckCsvFile};
pub use bulk_invite::{
    create_csv_users, get_csv_file, CreateCsvUsers, GetCsvFile, InviteFromCsvPage,
    CHECK_PATH as CSV_CHECK_PATH, PAGE_PATH as CSV_PAGE_PATH, TEMPLATE as CSV_TEMPLATE,
    TEMPLATE_PATH as CSV_TEMPLATE_PATH,
};
pub use error::UsersError;
pub use invite_link::{copy_invite_link, CopiedLink, CopyInviteLink, KeptLink};
pub use list_users::{list_users, ListUsers};
pub use new_user::{assignable_role, assignable_roles, InboxChoice, NewUser, NewUserForm};
pub use page::ManageUsersPage;
pub use row_actions::{
    revoke_invite, send_invite, send_password_reset, RevokeInvite, SendInvite, SendPasswordReset,
};
pub use user_row::{RowAlert, UserRow, UserStatus};
pub use user_table::InviteDeliveryLine;
pub use users_query::{
    AddUserOptions, Billing, Boundary, SortKey, UsersPage, UsersQuery, PAGE_SIZE, SHOW_DEACTIVATED,
};

#[cfg(feature = "ssr")]
pub mod admin_actions;
#[cfg(feature = "ssr")]
pub mod page_cache;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
mod view_html;
