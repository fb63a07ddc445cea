use crate::domain::FieldErrors;

crate::area_error! {
    /// What can go wrong on Manage > Users: adding, inviting and listing users.
    pub enum UsersError {
        #[error("Sign in to continue.")]
        SignInRequired,
        #[error("Only the Account Owner and Administrators can manage users.")]
        Forbidden,
        #[error("{feature} are available on the Plus and Pro plans.")]
        NeedsPlusOrPro { feature: String },
        #[error("{0}")]
        Invalid(FieldErrors),
        /// The input clashes with what exists, e.g. an email address in use.
        #[error("{0}")]
        Duplicate(FieldErrors),
        #[error("That user is not in this account, or has been deleted.")]
        NotFound,
        /// Invite from CSV: a file id that is not the viewer's, or was purged.
        #[error("That file is not here: only who uploaded it sees it, for a week. Upload it again.")]
        FileNotFound,
        /// The action does not fit the user's state, e.g. inviting someone
        /// who has already accepted.
        #[error("{message}")]
        Conflict { message: String },
    }
    status {
        Self::SignInRequired => 401,
        Self::Forbidden | Self::NeedsPlusOrPro { .. } => 403,
        Self::Invalid(_) => 422,
        Self::Duplicate(_) | Self::Conflict { .. } => 409,
        Self::NotFound | Self::FileNotFound => 404,
    }
    fields: Invalid, Duplicate;
    plan: NeedsPlusOrPro;
    gate: SignInRequired, Forbidden;
}
