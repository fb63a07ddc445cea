//! Two-factor authentication with an authenticator app (TOTP), which each
//! user sets up for themselves. Administrators only ever see whether it is on.

mod required;
mod security_page;
mod sign_in_code;

use serde::{Deserialize, Serialize};

pub use required::{
    allows_before_set_up, get_required_set_up, GetRequiredSetUp, RequiredSetUp, TwoFactorSetUpPage,
    SET_UP_PATH,
};
pub use security_page::{
    disable_two_factor, enable_two_factor, get_security_status, regenerate_recovery_codes,
    DisableTwoFactor, EnableTwoFactor, GetSecurityStatus, OwnSecuritySection,
    RegenerateRecoveryCodes,
};
pub use sign_in_code::{verify_sign_in_code, TwoFactorSignInPage, VerifySignInCode};

#[cfg(feature = "ssr")]
pub mod challenge;
#[cfg(feature = "ssr")]
pub mod codes;
#[cfg(feature = "ssr")]
pub mod confirmation;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod totp;

/// What the Security section shows the person themselves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityStatus {
    pub enabled: bool,
    /// While two-factor is off: the key to scan or type into the app.
    pub setup: Option<SetupKey>,
    /// Right after enabling, once: the recovery codes.
    pub recovery_codes: Option<Vec<String>>,
    /// Whom the company requires it of ("Administrators and Users"), when
    /// that includes the viewer: then it cannot be turned off.
    pub required: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupKey {
    /// Base32, in groups of four for typing.
    pub secret: String,
    /// The `otpauth://` address as an SVG QR code, in a data URL.
    pub qr_code: String,
}
