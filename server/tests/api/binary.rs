//! The release contract: the binary needs only DATABASE_URL, SMTP_URL,
//! PUBLIC_URL and LEPTOS_SITE_ADDR, and migrates the schema on start.

use std::{
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use crate::helpers::{emails_to, fresh_database, plain_client, unique_email, SetupForm};

/// A log file for the spawned server, under target/ (removed on drop).
struct LogFile(std::path::PathBuf);

impl LogFile {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn reopen(&self) -> std::io::Result<std::fs::File> {
        std::fs::OpenOptions::new().append(true).open(&self.0)
    }
}

impl Drop for LogFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn tempfile_in_target() -> LogFile {
    let path = std::env::temp_dir().join(format!(
        "roster-server-{}.log",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::File::create(&path).unwrap();
    LogFile(path)
}

const BINARY: &str = env!("CARGO_BIN_EXE_server");

fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

#[test]
fn help_lists_the_subcommands() {
    let output = Command::new(BINARY).arg("--help").output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success());
    for subcommand in ["serve", "migrate"] {
        assert!(help.contains(subcommand), "{help}");
    }
}

#[test]
fn missing_configuration_is_named() {
    let output = Command::new(BINARY)
        .env_clear()
        .current_dir(workspace_root())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("PUBLIC_URL is not set"), "{stderr}");
}

#[test]
fn an_https_deployment_will_not_start_without_its_encryption_key() {
    let output = Command::new(BINARY)
        .env_clear()
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .env("SMTP_URL", "smtp://127.0.0.1:2526")
        .env("PUBLIC_URL", "https://roster.example.com")
        .current_dir(workspace_root())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("TOTP_ENCRYPTION_KEY is not set"),
        "{stderr}"
    );
}

#[tokio::test]
async fn serves_with_only_the_four_variables() {
    let (database_url, pool) = fresh_database().await;
    // A fresh database with no schema: the server must create it.
    sqlx::raw_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        .execute(&pool)
        .await
        .unwrap();
    let log = tempfile_in_target();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(BINARY)
        .env_clear()
        .env("DATABASE_URL", &database_url)
        .env("SMTP_URL", "smtp://127.0.0.1:2526")
        .env("PUBLIC_URL", format!("http://127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .current_dir(workspace_root())
        .env("RUST_LOG", "debug")
        .stdout(Stdio::null())
        .stderr(Stdio::from(log.reopen().unwrap()))
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut healthy = false;
    while started.elapsed() < Duration::from_secs(30) && !healthy {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if let Ok(response) = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await {
            healthy = response.status() == 200;
        }
    }
    // Its outbox worker delivers what is queued.
    let to = unique_email("outbox");
    if healthy {
        sqlx::query(
            "INSERT INTO outbox_emails (message_id, to_address, subject, body_text, body_html)
             VALUES ('<binary-test@roster.test>', $1, 'Queued', 'text', '<p>html</p>')",
        )
        .bind(&to)
        .execute(&pool)
        .await
        .unwrap();
    }
    let delivered = healthy && !emails_to(&to, 1).await.is_empty();

    // Set up and sign in, then read the log for secrets.
    let base = format!("http://127.0.0.1:{port}");
    let client = plain_client();
    let form = SetupForm::valid();
    let setup = client
        .post(format!("{base}/api/setup"))
        .header("origin", &base)
        .form(&form.fields())
        .send()
        .await
        .unwrap();
    let token = crate::helpers::session_cookie(&setup).unwrap_or_default();
    let token = token
        .trim_start_matches("roster_session=")
        .split(';')
        .next()
        .unwrap_or_default()
        .to_owned();
    client
        .post(format!("{base}/api/sign-in"))
        .header("origin", &base)
        .form(&[
            ("email", form.email.as_str()),
            ("password", form.password.as_str()),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    client
        .get(format!("{base}/manage/users"))
        .header("cookie", format!("roster_session={token}"))
        .send()
        .await
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(healthy, "the server never became healthy");
    assert!(delivered, "the outbox worker did not deliver");
    let logged = std::fs::read_to_string(log.path()).unwrap();
    assert!(
        logged.contains("/manage/users"),
        "the log has request lines: {:?}",
        &logged[logged.len().saturating_sub(800)..]
    );
    assert!(
        !token.is_empty() && !logged.contains(&token),
        "a session token was logged"
    );
    assert!(!logged.contains(&form.password), "a password was logged");
    let migrated: bool = sqlx::query_scalar("SELECT to_regclass('public.users') IS NOT NULL")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(migrated);
}
