crate::area_error! {
    /// What can go wrong deactivating or reactivating a user.
    pub enum DeactivationError {
        #[error("Sign in to continue.")]
        SignInRequired,
        #[error("Only the Account Owner and Administrators can deactivate and reactivate users.")]
        Forbidden,
        #[error("That user is not in this account, or has been deleted.")]
        NotFound,
        /// The user may not be deactivated: the viewer themselves, or the
        /// Owner; or the confirmation was not given.
        #[error("{message}")]
        Conflict { message: String },
    }
    status {
        Self::SignInRequired => 401,
        Self::Forbidden => 403,
        Self::Conflict { .. } => 409,
        Self::NotFound => 404,
    }
    gate: SignInRequired, Forbidden;
}
