use anyhow::Context as _;

use super::{NewAccount, SetupError};
use crate::{
    audit::Action,
    change::Change,
    crypto::password_hash,
    request::RequestInfo,
    session::{store as sessions, token::SecretToken},
    state::AppState,
};

/// Serialises concurrent first-run submissions (any constant would do).
const SETUP_LOCK: i64 = 0x526f_7374_6572;

pub async fn setup_needed(executor: impl sqlx::PgExecutor<'_>) -> anyhow::Result<bool> {
    let exists = sqlx::query_scalar!(r#"SELECT EXISTS (SELECT 1 FROM accounts) AS "exists!""#)
        .fetch_one(executor)
        .await
        .context("checking for an account")?;
    Ok(!exists)
}

/// Creates the account, its Owner, the audit event and the Owner's first
/// session in one transaction, and returns the session token.
pub async fn create_account(
    state: &AppState,
    new_account: NewAccount,
    request: &RequestInfo,
) -> Result<SecretToken, SetupError> {
    // Checked again under the lock below; this spares the hash when an
    // account exists (the form is public, and hashing is costly).
    if !setup_needed(&state.pool).await? {
        return Err(SetupError::AlreadySetUp);
    }
    let hash = password_hash::hash(&state.hashing, new_account.password).await?;
    let mut change = Change::begin_anonymous(state, request, "setup").await?;
    sqlx::query!("SELECT pg_advisory_xact_lock($1)", SETUP_LOCK)
        .execute(change.conn())
        .await
        .context("taking the setup lock")?;
    if !setup_needed(change.conn()).await? {
        return Err(SetupError::AlreadySetUp);
    }
    let account_id = sqlx::query_scalar!(
        "INSERT INTO accounts (name) VALUES ($1) RETURNING id",
        new_account.company_name.as_str()
    )
    .fetch_one(change.conn())
    .await
    .context("creating the account")?;
    seed_inboxes(change.conn(), account_id, new_account.owner_email.as_str()).await?;
    let owner_id = sqlx::query_scalar!(
        "INSERT INTO users (account_id, name, email, role, password_hash)
         VALUES ($1, $2, $3, 'owner', $4) RETURNING id",
        account_id,
        new_account.owner_name.as_str(),
        new_account.owner_email.as_str(),
        hash.as_str(),
    )
    .fetch_one(change.conn())
    .await
    .context("creating the Owner")?;
    change.identify(account_id, Some(owner_id));
    change
        .record(
            Action::AccountCreated,
            Some(owner_id),
            serde_json::json!({ "account_name": new_account.company_name.as_str() }),
        )
        .await?;
    let now = change.now;
    let token = sessions::start(change.conn(), owner_id, request, now).await?;
    change.commit().await?;
    tracing::info!(%account_id, %owner_id, "account set up");
    Ok(token)
}

/// Names of the inboxes every new account starts with.
const STARTER_INBOXES: [&str; 3] = ["Support", "Sales", "Billing"];

/// Gives a new account a few inboxes at the Owner's domain, so Add User has
/// inboxes to offer from the start.
pub async fn seed_inboxes(
    conn: &mut sqlx::PgConnection,
    account_id: uuid::Uuid,
    owner_email: &str,
) -> anyhow::Result<()> {
    let domain = owner_email
        .rsplit_once('@')
        .map_or("example.com", |(_, domain)| domain);
    let names: Vec<String> = STARTER_INBOXES.iter().map(|n| (*n).to_owned()).collect();
    let emails: Vec<String> = STARTER_INBOXES
        .iter()
        .map(|n| format!("{}@{domain}", n.to_lowercase()))
        .collect();
    sqlx::query!(
        "INSERT INTO inboxes (account_id, name, email) SELECT $1, * FROM unnest($2::text[], $3::text[])",
        account_id,
        &names,
        &emails
    )
    .execute(conn)
    .await
    .context("creating the starter inboxes")?;
    Ok(())
}
