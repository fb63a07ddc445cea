use serde::{Deserialize, Serialize};

/// What gated pages say on Standard.
pub const PLUS_OR_PRO: &str = "available on the Plus and Pro plans";

/// The account's subscription. Light Users exist only on Plus and Pro.
/// Stored as its `as_str` text; the server reads it straight into a `Plan`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "lowercase"))]
pub enum Plan {
    #[default]
    Standard,
    Plus,
    Pro,
}

impl Plan {
    pub const ALL: [Plan; 3] = [Plan::Standard, Plan::Plus, Plan::Pro];

    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Standard => "standard",
            Plan::Plus => "plus",
            Plan::Pro => "pro",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Plan::Standard => "Standard",
            Plan::Plus => "Plus",
            Plan::Pro => "Pro",
        }
    }

    /// A plan chosen on a form.
    pub fn parse(raw: &str) -> Result<Self, super::ValidationError> {
        Plan::ALL
            .into_iter()
            .find(|plan| plan.as_str() == raw.trim())
            .ok_or_else(|| super::ValidationError::new("Choose Standard, Plus or Pro."))
    }

    /// `Ok` when the plan has `feature`; the gate every change behind a
    /// plan goes through.
    pub fn require(self, feature: Feature) -> Result<(), PlanRequired> {
        let has = match feature {
            Feature::Teams => self.allows_teams(),
            Feature::FeaturePermissions => self.allows_feature_permissions(),
        };
        if has {
            Ok(())
        } else {
            Err(PlanRequired(feature))
        }
    }

    /// Teams and Feature Permissions, like Light Users, come with Plus and Pro.
    pub fn allows_teams(self) -> bool {
        self.allows_light_users()
    }

    pub fn allows_feature_permissions(self) -> bool {
        self.allows_light_users()
    }

    pub fn allows_light_users(self) -> bool {
        matches!(self, Plan::Plus | Plan::Pro)
    }
}

/// What a plan may add, by the name people know it by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feature {
    Teams,
    FeaturePermissions,
}

impl Feature {
    pub fn name(self) -> &'static str {
        match self {
            Feature::Teams => "Teams",
            Feature::FeaturePermissions => "Feature Permissions",
        }
    }
}

/// A change the account's plan does not include; each area's error has a
/// `NeedsPlusOrPro` for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanRequired(pub Feature);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn light_users_need_plus_or_pro() {
        assert!(!Plan::Standard.allows_light_users());
        assert!(Plan::Plus.allows_light_users());
        assert!(Plan::Pro.allows_light_users());
    }

    #[test]
    fn plans_round_trip_and_nothing_else_parses() {
        for plan in Plan::ALL {
            assert_eq!(Plan::parse(plan.as_str()), Ok(plan));
        }
        assert!(Plan::parse("enterprise").is_err());
        assert!(Plan::parse("").is_err());
    }

    #[test]
    fn teams_and_feature_permissions_need_plus_or_pro() {
        for feature in [Feature::Teams, Feature::FeaturePermissions] {
            assert_eq!(Plan::Standard.require(feature), Err(PlanRequired(feature)));
            assert_eq!(Plan::Plus.require(feature), Ok(()));
            assert_eq!(Plan::Pro.require(feature), Ok(()));
        }
    }
}
