use crate::domain::FieldErrors;

crate::area_error! {
    /// What can go wrong deleting a user.
    pub enum DeletionError {
        #[error("Sign in to continue.")]
        SignInRequired,
        #[error("Only the Account Owner and Administrators can delete users.")]
        Forbidden,
        #[error("{0}")]
        Invalid(FieldErrors),
        #[error("That user is not in this account, or has been deleted.")]
        NotFound,
        /// The user may not be deleted: the viewer themselves, or the Owner.
        #[error("{message}")]
        Conflict { message: String },
    }
    status {
        Self::SignInRequired => 401,
        Self::Forbidden => 403,
        Self::Invalid(_) => 422,
        Self::Conflict { .. } => 409,
        Self::NotFound => 404,
    }
    fields: Invalid;
    gate: SignInRequired, Forbidden;
}
