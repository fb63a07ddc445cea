use crate::domain::FieldErrors;

crate::area_error! {
    /// What can go wrong in company settings and the roles' default permissions.
    pub enum CompanyError {
        #[error("Sign in to continue.")]
        SignInRequired,
        #[error("Only the Account Owner and Administrators can change company settings.")]
        Forbidden,
        #[error("Only the Account Owner can change the plan.")]
        OwnerOnly,
        #[error("{feature} are available on the Plus and Pro plans.")]
        NeedsPlusOrPro { feature: String },
        #[error("{0}")]
        Invalid(FieldErrors),
        /// The setting does not fit the account as it is, e.g. a plan without
        /// Light Users while it has some.
        #[error("{message}")]
        Conflict { message: String },
    }
    status {
        Self::SignInRequired => 401,
        Self::Forbidden | Self::OwnerOnly | Self::NeedsPlusOrPro { .. } => 403,
        Self::Invalid(_) => 422,
        Self::Conflict { .. } => 409,
    }
    fields: Invalid;
    plan: NeedsPlusOrPro;
    gate: SignInRequired, Forbidden;
}
