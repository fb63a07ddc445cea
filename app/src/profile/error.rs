use crate::domain::FieldErrors;

crate::area_error! {
    /// What can go wrong on a user's profile.
    pub enum ProfileError {
        #[error("Sign in to continue.")]
        SignInRequired,
        #[error("You can't see or change this user's profile.")]
        Forbidden,
        #[error("Only the user can do this, from their own profile.")]
        OnlyTheUser,
        #[error("{feature} are available on the Plus and Pro plans.")]
        NeedsPlusOrPro { feature: String },
        #[error("That user is not in this account, or has been deleted.")]
        NotFound,
        #[error("{0}")]
        Invalid(FieldErrors),
        #[error("Someone else changed this profile while you were editing it. Reload the page to see their changes, then make yours again.")]
        Stale,
    }
    status {
        Self::SignInRequired => 401,
        Self::Forbidden | Self::OnlyTheUser | Self::NeedsPlusOrPro { .. } => 403,
        Self::NotFound => 404,
        Self::Invalid(_) => 422,
        Self::Stale => 409,
    }
    fields: Invalid;
    plan: NeedsPlusOrPro;
}
