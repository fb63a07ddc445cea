use crate::domain::FieldErrors;

crate::area_error! {
    /// What can go wrong on Manage > Teams.
    pub enum TeamsError {
        #[error("Sign in to continue.")]
        SignInRequired,
        #[error("Only the Account Owner and Administrators can manage teams.")]
        Forbidden,
        #[error("{feature} are available on the Plus and Pro plans.")]
        NeedsPlusOrPro { feature: String },
        #[error("{0}")]
        Invalid(FieldErrors),
        /// A team of that name exists.
        #[error("{0}")]
        Duplicate(FieldErrors),
        #[error("That team, or that member of it, is not in this account.")]
        NotFound,
    }
    status {
        Self::SignInRequired => 401,
        Self::Forbidden | Self::NeedsPlusOrPro { .. } => 403,
        Self::Invalid(_) => 422,
        Self::Duplicate(_) => 409,
        Self::NotFound => 404,
    }
    fields: Invalid, Duplicate;
    plan: NeedsPlusOrPro;
    gate: SignInRequired, Forbidden;
}
