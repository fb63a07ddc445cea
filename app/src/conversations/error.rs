crate::area_error! {
    /// What can go wrong reading inboxes and their conversations.
    pub enum ConversationsError {
        #[error("Sign in to continue.")]
        SignInRequired,
        #[error("That inbox is not in this account.")]
        NotFound,
    }
    status {
        Self::SignInRequired => 401,
        Self::NotFound => 404,
    }
}
