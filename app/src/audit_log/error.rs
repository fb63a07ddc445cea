use crate::domain::FieldErrors;

crate::area_error! {
    /// What can go wrong reading the audit log.
    pub enum AuditLogError {
        #[error("Sign in to continue.")]
        SignInRequired,
        #[error("Only the Account Owner and Administrators can see the audit log.")]
        Forbidden,
        /// A filter the address carries cannot be read.
        #[error("{0}")]
        Invalid(FieldErrors),
    }
    status {
        Self::SignInRequired => 401,
        Self::Forbidden => 403,
        Self::Invalid(_) => 400,
    }
    fields: Invalid;
    gate: SignInRequired, Forbidden;
}
