use serde::{Deserialize, Serialize};

use super::ValidationError;

pub const MIN_INVITE_DAYS: i32 = 1;
pub const MAX_INVITE_DAYS: i32 = 30;

/// How many days an invitation link works.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteValidity(i32);

impl InviteValidity {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        raw.trim()
            .parse::<i32>()
            .ok()
            .filter(|days| (MIN_INVITE_DAYS..=MAX_INVITE_DAYS).contains(days))
            .map(Self)
            .ok_or_else(|| {
                ValidationError::new(format!(
                    "Choose a whole number of days from {MIN_INVITE_DAYS} to {MAX_INVITE_DAYS}."
                ))
            })
    }

    pub fn days(self) -> i32 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_to_thirty_whole_days() {
        assert_eq!(InviteValidity::parse(" 7 ").unwrap().days(), 7);
        for ok in ["1", "30"] {
            assert!(InviteValidity::parse(ok).is_ok());
        }
        for bad in ["0", "31", "-1", "7.5", "", "seven", "99999999999"] {
            assert!(InviteValidity::parse(bad).is_err(), "{bad:?}");
        }
    }
}
