//! Why an email was not delivered, in words an admin can act on: they are
//! what the outbox keeps as the email's last error, and what Manage > Users
//! shows beside an invite that did not go out.

use std::fmt;

/// Attempts at an email before the outbox gives up on it.
pub const MAX_ATTEMPTS: i32 = 10;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The mail server said no for good (a 5xx reply).
    Refused {
        code: String,
        reply: String,
    },
    /// The mail server asked to try again later (a 4xx reply).
    Deferred {
        code: String,
        reply: String,
    },
    /// No connection to the mail server could be made.
    Unreachable {
        detail: String,
    },
    /// The mail server did not answer within the time allowed.
    TimedOut,
    /// The secure connection to the mail server failed.
    Tls {
        detail: String,
    },
    /// The message could not be written (its address, for example).
    Unsendable {
        detail: String,
    },
    Other {
        detail: String,
    },
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Refused { code, reply } => {
                write!(
                    f,
                    "The mail server refused it ({code}{})",
                    reply_part(reply)
                )
            }
            Failure::Deferred { code, reply } => write!(
                f,
                "The mail server asked to try again later ({code}{})",
                reply_part(reply)
            ),
            Failure::Unreachable { detail } => {
                write!(f, "Roster could not connect to the mail server ({detail})")
            }
            Failure::TimedOut => f.write_str("The mail server did not answer in time"),
            Failure::Tls { detail } => write!(
                f,
                "The secure connection to the mail server failed ({detail})"
            ),
            Failure::Unsendable { detail } => {
                write!(f, "The email could not be written ({detail})")
            }
            Failure::Other { detail } => write!(f, "Sending failed ({detail})"),
        }
    }
}

fn reply_part(reply: &str) -> String {
    let reply = reply.trim();
    if reply.is_empty() {
        String::new()
    } else {
        format!(": {reply}")
    }
}

/// How many more times the outbox tries an email after `attempts`.
pub fn retries_left(attempts: i32) -> i32 {
    (MAX_ATTEMPTS - attempts).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_failure_reads_as_a_sentence_with_the_server_s_own_words() {
        assert_eq!(
            Failure::Refused {
                code: "550".into(),
                reply: "5.1.1 mailbox unavailable".into()
            }
            .to_string(),
            "The mail server refused it (550: 5.1.1 mailbox unavailable)"
        );
        assert_eq!(
            Failure::Deferred {
                code: "421".into(),
                reply: " ".into()
            }
            .to_string(),
            "The mail server asked to try again later (421)"
        );
        assert_eq!(
            Failure::Unreachable {
                detail: "Connection refused (os error 111)".into()
            }
            .to_string(),
            "Roster could not connect to the mail server (Connection refused (os error 111))"
        );
        assert_eq!(
            Failure::TimedOut.to_string(),
            "The mail server did not answer in time"
        );
    }

    #[test]
    fn retries_run_out_at_the_cap() {
        assert_eq!(retries_left(0), MAX_ATTEMPTS);
        assert_eq!(retries_left(3), 7);
        assert_eq!(retries_left(MAX_ATTEMPTS), 0);
        assert_eq!(retries_left(MAX_ATTEMPTS + 5), 0);
    }
}
