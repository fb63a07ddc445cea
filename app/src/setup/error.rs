use crate::domain::FieldErrors;

crate::area_error! {
    /// What can go wrong setting Roster up.
    pub enum SetupError {
        #[error("Roster is already set up. Sign in instead.")]
        AlreadySetUp,
        #[error("{0}")]
        Invalid(FieldErrors),
        #[error("Too many attempts from your network. Wait {retry_after} seconds, then try again.")]
        TooManyRequests { retry_after: u64 },
    }
    status {
        Self::AlreadySetUp => 409,
        Self::Invalid(_) => 422,
        Self::TooManyRequests { .. } => 429,
    }
    fields: Invalid;
}
