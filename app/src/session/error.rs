use crate::domain::FieldErrors;

crate::area_error! {
    /// What can go wrong signing in, resetting a password and confirming who one is.
    pub enum AuthError {
        /// The one answer for an unknown email, a wrong password, and a locked,
        /// deleted or not yet accepted account: nothing here tells them apart.
        #[error("That email and password don't match an account you can sign in to. Check them and try again, or reset your password.")]
        InvalidCredentials,
        #[error("{0}")]
        Invalid(FieldErrors),
        #[error("Too many attempts from your network. Wait {retry_after} seconds, then try again.")]
        TooManyRequests { retry_after: u64 },
        #[error("This reset link is not valid. Ask for a new one.")]
        ResetLinkInvalid,
        #[error("Sign in to continue.")]
        SignInRequired,
        #[error("That password is not right.")]
        WrongPassword,
        #[error("Confirm your password first: it has been more than a few minutes.")]
        ReauthenticationRequired,
        #[error("There is no such session.")]
        NotFound,
        #[error("That code is not right. Enter the 6 digits your app shows now, or one of your recovery codes.")]
        InvalidCode,
        #[error("This sign-in took too long or had too many wrong codes. Sign in again.")]
        ChallengeExpired,
        /// Ten wrong codes in a row: codes are refused for a while, even right ones.
        #[error("Too many wrong codes for this account. Wait {} minutes, then try again, or reset your password.", .retry_after.div_ceil(60))]
        CodesRefused { retry_after: u64 },
        /// Company > Security requires it of the viewer's role.
        #[error("Your company requires two-factor authentication for {people}, so it stays on.")]
        TwoFactorRequired { people: String },
    }
    status {
        Self::InvalidCredentials | Self::SignInRequired | Self::WrongPassword | Self::InvalidCode => 401,
        Self::Invalid(_) => 422,
        Self::TooManyRequests { .. } | Self::CodesRefused { .. } => 429,
        Self::ResetLinkInvalid | Self::ChallengeExpired => 410,
        Self::ReauthenticationRequired | Self::TwoFactorRequired { .. } => 403,
        Self::NotFound => 404,
    }
    fields: Invalid;
}
