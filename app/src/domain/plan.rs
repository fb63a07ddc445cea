use serde::{Deserialize, Serialize};

/// The account's subscription. Light Users exist only on Plus and Pro.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Plan {
    #[default]
    Standard,
    Plus,
    Pro,
}

impl Plan {
    /// Reads the stored value; anything unknown is the most restrictive plan.
    pub fn from_stored(raw: &str) -> Self {
        match raw {
            "plus" => Plan::Plus,
            "pro" => Plan::Pro,
            _ => Plan::Standard,
        }
    }

    pub fn allows_light_users(self) -> bool {
        matches!(self, Plan::Plus | Plan::Pro)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn light_users_need_plus_or_pro() {
        assert!(!Plan::from_stored("standard").allows_light_users());
        assert!(Plan::from_stored("plus").allows_light_users());
        assert!(Plan::from_stored("pro").allows_light_users());
        assert_eq!(Plan::from_stored("enterprise"), Plan::Standard);
    }
}
