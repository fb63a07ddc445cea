//! What every area's error type shares: an HTTP status, and a reference that
//! ties the message a person sees to the log line an operator reads.

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

/// Implements what every area's error enum shares. The enum must have the
/// variants `Unexpected { reference: String }` (logged, shown by reference),
/// `Busy { retry_after: u64 }` (the password hashing pool was full: 503) and
/// `BadRequest { message: String, status: u16 }` (a request server_fn could
/// not decode).
#[macro_export]
macro_rules! area_error {
    ($name:ident) => {
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
