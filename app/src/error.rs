//! What every area's error type shares: an HTTP status, and a reference that
//! ties the message a person sees to the log line an operator reads.

/// An area's error, as a form shows it.
pub trait FormError: std::fmt::Display {
    /// The message for the field `name`, when the error is about it.
    fn field(&self, name: &str) -> Option<String>;
}

/// Why a request may not go on: nobody is signed in, or the viewer's role
/// does not allow it. Each area's error has a variant for both (see
/// `area_error!`'s `gate`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denied {
    SignInRequired,
    Forbidden,
}

/// Implemented by each area's error enum.
pub trait HttpError {
    /// The status the response carries (422 for bad input, 409 for a
    /// conflict, 500 only for the unexpected).
    fn status(&self) -> u16;
}

pub fn unexpected_message(reference: &str) -> String {
    format!("Something went wrong on our side. Please try again; if it keeps happening, give your administrator the reference {reference}.")
}

/// The status and message for a request server_fn could not even decode
/// (a missing field, a wrong type): a 422 or 400, never a 500.
pub fn request_error(error: &leptos::server_fn::error::ServerFnErrorErr) -> (u16, String) {
    use leptos::server_fn::error::ServerFnErrorErr::*;
    let status = match error {
        Args(_) | MissingArg(_) | Deserialization(_) => 422,
        _ => 400,
    };
    #[cfg(feature = "ssr")]
    server::set_status(status);
    (status, error.to_string())
}

/// Declares an area's error enum: its own variants (each with the message a
/// person reads), the status each answers with, and what every area's error
/// shares, added here:
///
/// - `Busy { retry_after }` (503): the password hashing pool was full;
/// - `Unexpected { reference }` (500): logged, and shown by its reference;
/// - `BadRequest { message, status }`: a request server_fn could not decode;
/// - `From<anyhow::Error>` (the unexpected, or Busy) and the JSON encoding.
///
/// Optional clauses, in this order: `fields: Invalid, …;` names the variants
/// that carry [`crate::domain::FieldErrors`], shown next to their fields;
/// `plan: Variant;` the variant a [`crate::domain::PlanRequired`] becomes
/// (it has a `feature` field); `gate: SignInRequired, Forbidden;` the
/// variants a [`Denied`] becomes.
#[macro_export]
macro_rules! area_error {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $($variants:tt)* }
        status { $($arms:tt)* }
        $(fields: $($field_variant:ident),+ ;)?
        $(plan: $plan_variant:ident ;)?
        $(gate: $sign_in:ident, $forbidden:ident ;)?
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, thiserror::Error)]
        pub enum $name {
            $($variants)*
            /// Too much costly work (hashing, decoding photos) at once: the
            /// request is turned away (503) rather than left waiting.
            #[error("Roster is busy right now. Wait {retry_after} seconds, then try again.")]
            Busy { retry_after: u64 },
            #[error("{}", $crate::error::unexpected_message(.reference))]
            Unexpected { reference: String },
            /// The request itself was malformed (a forged or broken submission).
            #[error("This request could not be read: {message}")]
            BadRequest { message: String, status: u16 },
        }

        impl $crate::error::HttpError for $name {
            fn status(&self) -> u16 {
                #[allow(clippy::match_same_arms)]
                match self {
                    $($arms)*
                    Self::Busy { .. } => 503,
                    Self::Unexpected { .. } => 500,
                    Self::BadRequest { status, .. } => *status,
                }
            }
        }

        $(
            impl $crate::error::FormError for $name {
                fn field(&self, name: &str) -> Option<String> {
                    match self {
                        $(Self::$field_variant(errors))|+ => errors.get(name).map(str::to_owned),
                        _ => None,
                    }
                }
            }
        )?

        $(
            impl From<$crate::domain::PlanRequired> for $name {
                fn from($crate::domain::PlanRequired(feature): $crate::domain::PlanRequired) -> Self {
                    Self::$plan_variant { feature: feature.name().into() }
                }
            }
        )?

        $(
            impl From<$crate::error::Denied> for $name {
                fn from(denied: $crate::error::Denied) -> Self {
                    match denied {
                        $crate::error::Denied::SignInRequired => Self::$sign_in,
                        $crate::error::Denied::Forbidden => Self::$forbidden,
                    }
                }
            }
        )?

        impl leptos::server_fn::error::FromServerFnError for $name {
            type Encoder = leptos::server_fn::codec::JsonEncoding;

            fn from_server_fn_error(error: leptos::server_fn::error::ServerFnErrorErr) -> Self {
                let (status, message) = $crate::error::request_error(&error);
                Self::BadRequest { message, status }
            }
        }

        #[cfg(feature = "ssr")]
        impl From<anyhow::Error> for $name {
            fn from(error: anyhow::Error) -> Self {
                use $crate::crypto::password_hash::HashingBusy;
                if error.is::<HashingBusy>() {
                    tracing::warn!("turned a request away: the hashing pool is full");
                    $crate::rate_limit::send_retry_after(HashingBusy::RETRY_AFTER_SECS);
                    return Self::Busy {
                        retry_after: HashingBusy::RETRY_AFTER_SECS,
                    };
                }
                Self::Unexpected {
                    reference: $crate::error::report_unexpected(error),
                }
            }
        }
    };
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use super::HttpError;

    /// Logs an unexpected failure with its whole cause chain and returns the
    /// short reference to show instead. No database text reaches a page.
    pub fn report_unexpected(error: impl Into<anyhow::Error>) -> String {
        let error: anyhow::Error = error.into();
        let reference = uuid::Uuid::new_v4().simple().to_string()[..12].to_owned();
        tracing::error!(reference = %reference, error = %format!("{error:#}").escape_debug(), "unexpected error");
        reference
    }

    /// Gives a server function's response the error's status and hands the
    /// error back.
    ///
    /// Two cases keep their status: a page render that called the function
    /// directly (the page decides, e.g. redirecting to sign-in), and a form
    /// posted without JavaScript, which is answered with a redirect back to
    /// the form carrying the error; the page it lands on sets the status
    /// (see [`set_page_status`]).
    pub fn respond<E: HttpError>(error: E) -> E {
        if is_server_fn_call() && !is_plain_form_post() {
            set_status(error.status());
        }
        error
    }

    /// Sets the status of the page being rendered, e.g. 422 when a form comes
    /// back with errors, or 403/404 for a page the viewer may not see.
    pub fn set_page_status(status: u16) {
        set_status(status);
    }

    pub(super) fn set_status(status: u16) {
        if let (Some(options), Ok(code)) = (
            leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
            http::StatusCode::from_u16(status),
        ) {
            options.set_status(code);
        }
    }

    fn is_server_fn_call() -> bool {
        leptos::prelude::with_context::<http::request::Parts, _>(|parts| {
            parts.uri.path().starts_with("/api/")
        })
        .unwrap_or(false)
    }

    fn is_plain_form_post() -> bool {
        leptos::prelude::with_context::<http::request::Parts, _>(|parts| {
            parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|accept| accept.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"))
        })
        .unwrap_or(false)
    }
}

/// In the browser there is no response to set a status on.
#[cfg(not(feature = "ssr"))]
pub fn set_page_status(_status: u16) {}
