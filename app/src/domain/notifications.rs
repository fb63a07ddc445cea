use serde::{Deserialize, Serialize};

use super::ValidationError;

/// What a user can be notified of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum NotificationEvent {
    NewConversation,
    AssignedToMe,
    AssignedToSomeoneElse,
    FollowedUpdated,
    CustomerRepliesUnassigned,
    CustomerRepliesMine,
    CustomerRepliesOthers,
    UserRepliesUnassigned,
    UserRepliesMine,
    UserRepliesOthers,
    Mentioned,
}

/// Where a notification goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Channel {
    Email,
    Browser,
}

impl NotificationEvent {
    pub const ALL: [NotificationEvent; 11] = [
        NotificationEvent::NewConversation,
        NotificationEvent::AssignedToMe,
        NotificationEvent::AssignedToSomeoneElse,
        NotificationEvent::FollowedUpdated,
        NotificationEvent::CustomerRepliesUnassigned,
        NotificationEvent::CustomerRepliesMine,
        NotificationEvent::CustomerRepliesOthers,
        NotificationEvent::UserRepliesUnassigned,
        NotificationEvent::UserRepliesMine,
        NotificationEvent::UserRepliesOthers,
        NotificationEvent::Mentioned,
    ];

    pub fn key(self) -> &'static str {
        match self {
            NotificationEvent::NewConversation => "new_conversation",
            NotificationEvent::AssignedToMe => "assigned_to_me",
            NotificationEvent::AssignedToSomeoneElse => "assigned_to_someone_else",
            NotificationEvent::FollowedUpdated => "followed_updated",
            NotificationEvent::CustomerRepliesUnassigned => "customer_replies_unassigned",
            NotificationEvent::CustomerRepliesMine => "customer_replies_mine",
            NotificationEvent::CustomerRepliesOthers => "customer_replies_others",
            NotificationEvent::UserRepliesUnassigned => "user_replies_unassigned",
            NotificationEvent::UserRepliesMine => "user_replies_mine",
            NotificationEvent::UserRepliesOthers => "user_replies_others",
            NotificationEvent::Mentioned => "mentioned",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            NotificationEvent::NewConversation => "A new conversation is created",
            NotificationEvent::AssignedToMe => "A conversation is assigned to me",
            NotificationEvent::AssignedToSomeoneElse => {
                "A conversation is assigned to someone else"
            }
            NotificationEvent::FollowedUpdated => "A conversation I follow is updated",
            NotificationEvent::CustomerRepliesUnassigned => {
                "A customer replies to an unassigned conversation"
            }
            NotificationEvent::CustomerRepliesMine => {
                "A customer replies to a conversation assigned to me"
            }
            NotificationEvent::CustomerRepliesOthers => {
                "A customer replies to a conversation assigned to someone else"
            }
            NotificationEvent::UserRepliesUnassigned => {
                "Another user replies or adds a note to an unassigned conversation"
            }
            NotificationEvent::UserRepliesMine => {
                "Another user replies or adds a note to a conversation assigned to me"
            }
            NotificationEvent::UserRepliesOthers => {
                "Another user replies or adds a note to a conversation assigned to someone else"
            }
            NotificationEvent::Mentioned => "I am @mentioned",
        }
    }
}

impl Channel {
    pub const ALL: [Channel; 2] = [Channel::Email, Channel::Browser];

    pub fn key(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Browser => "browser",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::Email => "Email",
            Channel::Browser => "Browser",
        }
    }
}

/// The (event, channel) pairs a user is notified of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationSettings(Vec<(NotificationEvent, Channel)>);

impl Default for NotificationSettings {
    /// What concerns you directly, by email; everything in the browser.
    fn default() -> Self {
        let mut on = Vec::new();
        for event in NotificationEvent::ALL {
            on.push((event, Channel::Browser));
            if matches!(
                event,
                NotificationEvent::AssignedToMe
                    | NotificationEvent::CustomerRepliesMine
                    | NotificationEvent::UserRepliesMine
                    | NotificationEvent::Mentioned
            ) {
                on.push((event, Channel::Email));
            }
        }
        Self::from_pairs(on)
    }
}

impl NotificationSettings {
    fn from_pairs(mut pairs: Vec<(NotificationEvent, Channel)>) -> Self {
        pairs.sort();
        pairs.dedup();
        Self(pairs)
    }

    /// From "event:channel" keys, as the form's checkboxes send them.
    pub fn parse(keys: &[String]) -> Result<Self, ValidationError> {
        let mut pairs = Vec::with_capacity(keys.len());
        for key in keys.iter().take(64) {
            pairs.push(
                parse_key(key)
                    .ok_or_else(|| ValidationError::new("Choose notifications from the list."))?,
            );
        }
        if keys.len() > 64 {
            return Err(ValidationError::new("Choose notifications from the list."));
        }
        Ok(Self::from_pairs(pairs))
    }

    /// From stored keys; unknown ones (from a later version) are skipped.
    pub fn from_stored(keys: Option<Vec<String>>) -> Self {
        match keys {
            None => Self::default(),
            Some(keys) => Self::from_pairs(keys.iter().filter_map(|k| parse_key(k)).collect()),
        }
    }

    pub fn keys(&self) -> Vec<String> {
        self.0.iter().map(|(e, c)| key(*e, *c)).collect()
    }

    pub fn is_on(&self, event: NotificationEvent, channel: Channel) -> bool {
        self.0.contains(&(event, channel))
    }
}

pub fn key(event: NotificationEvent, channel: Channel) -> String {
    format!("{}:{}", event.key(), channel.key())
}

fn parse_key(raw: &str) -> Option<(NotificationEvent, Channel)> {
    let (event, channel) = raw.trim().split_once(':')?;
    let event = NotificationEvent::ALL
        .into_iter()
        .find(|e| e.key() == event)?;
    let channel = Channel::ALL.into_iter().find(|c| c.key() == channel)?;
    Some((event, channel))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_unknown_ones_are_refused() {
        let settings = NotificationSettings::parse(&[
            "mentioned:email".into(),
            "assigned_to_me:browser".into(),
            "mentioned:email".into(),
        ])
        .unwrap();
        assert_eq!(
            settings.keys(),
            ["assigned_to_me:browser", "mentioned:email"]
        );
        assert!(NotificationSettings::parse(&["mentioned:pigeon".into()]).is_err());
        assert!(NotificationSettings::parse(&["everything".into()]).is_err());
        assert_eq!(
            NotificationSettings::from_stored(None),
            NotificationSettings::default()
        );
    }

    #[test]
    fn defaults_email_what_concerns_you() {
        let defaults = NotificationSettings::default();
        assert!(defaults.is_on(NotificationEvent::Mentioned, Channel::Email));
        assert!(!defaults.is_on(NotificationEvent::NewConversation, Channel::Email));
        assert!(defaults.is_on(NotificationEvent::NewConversation, Channel::Browser));
    }
}
