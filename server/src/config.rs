//! Configuration from the environment (and `Leptos.toml` for the site).

use std::{path::Path, time::Duration};

use anyhow::{bail, Context as _};
use app::public_url::PublicUrl;
use leptos::prelude::LeptosOptions;

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    pub smtp_url: String,
    /// The sender of every email, e.g. `Roster <roster@help.example.com>`.
    pub mail_from: String,
    /// From TOTP_ENCRYPTION_KEY; without it the server keeps a key in the database.
    pub encryption_key: Option<app::crypto::EncryptionKey>,
    /// GEOIP_DATABASE: a MaxMind-format city database, for session locations.
    pub geoip_database: Option<std::path::PathBuf>,
    /// USERS_PAGE_CACHE: how many Manage > Users pages (and as many whole
    /// views) to keep (0: none).
    pub users_page_cache: usize,
    /// API_PAGE_CACHE: how many pages of `GET /v2/users` to keep (0: none).
    pub api_page_cache: usize,
    pub settings: app::state::Settings,
    pub leptos_options: LeptosOptions,
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        let public_url = public_url(&required("PUBLIC_URL")?)?;
        let smtp_url = required("SMTP_URL")?;
        if !["smtp://", "smtps://"]
            .iter()
            .any(|scheme| smtp_url.starts_with(scheme))
        {
            bail!("SMTP_URL must start with smtp:// or smtps://, e.g. smtp://127.0.0.1:2525");
        }
        let mail_from = std::env::var("MAIL_FROM")
            .ok()
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| {
                let host = public_url.host();
                let named = host.contains('.') && host.parse::<std::net::IpAddr>().is_err();
                format!(
                    "Roster <roster@{}>",
                    if named { host } else { "localhost.localdomain" }
                )
            });
        let encryption_key = match std::env::var("TOTP_ENCRYPTION_KEY") {
            Ok(value) if !value.trim().is_empty() => Some(encryption_key(value.trim())?),
            _ => None,
        };
        if public_url.is_https() && encryption_key.is_none() {
            bail!(
                "TOTP_ENCRYPTION_KEY is not set. With an https PUBLIC_URL Roster is a real deployment, \
                 and two-factor secrets must not be sealed with a key kept beside them in the database: \
                 set TOTP_ENCRYPTION_KEY to 32 random bytes in base64 (e.g. from `openssl rand -base64 32`)"
            );
        }
        Ok(Self {
            encryption_key,
            users_page_cache: count(
                "USERS_PAGE_CACHE",
                app::users::page_cache::DEFAULT_CAPACITY,
                1_000_000,
            )?,
            api_page_cache: count(
                "API_PAGE_CACHE",
                app::api::kept::DEFAULT_CAPACITY,
                1_000_000,
            )?,
            geoip_database: std::env::var_os("GEOIP_DATABASE")
                .filter(|v| !v.is_empty())
                .map(Into::into),
            database_url: database_url()?,
            smtp_url,
            mail_from,
            settings: app::state::Settings {
                public_url,
                session_idle_timeout: hours("SESSION_IDLE_TIMEOUT_HOURS", 12)?,
                session_absolute_timeout: hours("SESSION_ABSOLUTE_TIMEOUT_HOURS", 7 * 24)?,
                clock: app::clock::Clock::system(),
                // Replaced at start by the configured or stored key.
                encryption_key: app::crypto::EncryptionKey::generate(),
                trusted_proxies: trusted_proxies()?,
                request_limits: app::state::RequestLimits {
                    in_flight: count("MAX_REQUESTS_IN_FLIGHT", 1024, 1_000_000)?.max(1),
                    timeout: Duration::from_secs(
                        count("REQUEST_TIMEOUT_SECONDS", 30, 3600)?.max(1) as u64,
                    ),
                    api_per_minute: count("API_REQUESTS_PER_MINUTE", 400, 100_000_000)?.max(1)
                        as u32,
                },
            },
            leptos_options: leptos_options()?,
        })
    }
}

pub fn database_url() -> anyhow::Result<String> {
    required("DATABASE_URL")
}

/// The Leptos site settings: `Leptos.toml` in the working directory when
/// present, overridden by `LEPTOS_*` variables (cargo-leptos sets those).
pub fn leptos_options() -> anyhow::Result<LeptosOptions> {
    let file = Path::new("Leptos.toml");
    let conf = leptos_config::get_configuration(file.exists().then_some("Leptos.toml"))
        .context("reading the site settings in Leptos.toml")?;
    let mut options = conf.leptos_options;
    // `./scripts/build` names the bundle's files after their content and
    // lists the names beside the binary; only then may browsers keep them.
    options.hash_files = std::env::current_exe()
        .ok()
        .and_then(|exe| {
            std::fs::read_to_string(exe.parent()?.join(options.hash_file.as_ref())).ok()
        })
        .is_some_and(|list| names_files_that_exist(&list, &options));
    Ok(options)
}

/// Whether the list of content-hashed names speaks of the files the site
/// has (a list left by an earlier build must not send browsers to files
/// that are gone).
fn names_files_that_exist(list: &str, options: &LeptosOptions) -> bool {
    let pkg = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let mut named = 0;
    for line in list.lines() {
        let Some((kind, hash)) = line.split_once(':') else {
            continue;
        };
        let extension = match kind.trim() {
            "js" => "js",
            "wasm" => "wasm",
            "css" => "css",
            _ => continue,
        };
        named += 1;
        let file = format!("{}.{}.{extension}", options.output_name, hash.trim());
        if !pkg.join(file).exists() {
            return false;
        }
    }
    named > 0
}

fn required(name: &str) -> anyhow::Result<String> {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => Ok(value.trim().to_owned()),
        _ => bail!("{name} is not set; see the README's configuration section"),
    }
}

fn encryption_key(base64: &str) -> anyhow::Result<app::crypto::EncryptionKey> {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(base64)
        .context("TOTP_ENCRYPTION_KEY must be base64 (e.g. from `openssl rand -base64 32`)")?;
    app::crypto::EncryptionKey::from_bytes(&bytes)
        .context("TOTP_ENCRYPTION_KEY must be 32 bytes, base64-encoded")
}

fn public_url(raw: &str) -> anyhow::Result<PublicUrl> {
    PublicUrl::parse(raw).map_err(|problem| anyhow::anyhow!("PUBLIC_URL {problem}"))
}

fn hours(name: &str, default: u64) -> anyhow::Result<Duration> {
    let hours = match std::env::var(name) {
        Ok(value) => value
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|h| (1..=24 * 365).contains(h))
            .with_context(|| {
                format!("{name} must be a whole number of hours between 1 and 8760")
            })?,
        Err(_) => default,
    };
    Ok(Duration::from_secs(hours * 3600))
}

/// TRUSTED_PROXIES and CLIENT_ADDRESS_HEADER.
fn trusted_proxies() -> anyhow::Result<app::trusted_proxies::TrustedProxies> {
    use app::trusted_proxies::{ForwardingHeader, TrustedProxies};
    let header = match std::env::var("CLIENT_ADDRESS_HEADER") {
        Ok(value) if !value.trim().is_empty() => ForwardingHeader::parse(&value)
            .context("CLIENT_ADDRESS_HEADER must be x-forwarded-for or forwarded")?,
        _ => ForwardingHeader::default(),
    };
    let list = std::env::var("TRUSTED_PROXIES").unwrap_or_default();
    TrustedProxies::parse(&list, header).map_err(|error| {
        anyhow::anyhow!("TRUSTED_PROXIES must list IP addresses or CIDR networks: {error}")
    })
}

fn count(name: &str, default: usize, max: usize) -> anyhow::Result<usize> {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => value
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= max)
            .with_context(|| format!("{name} must be a whole number from 0 to {max}")),
        _ => Ok(default),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_of_hashed_names_counts_only_when_its_files_exist() {
        let site = std::env::temp_dir().join(format!("roster-site-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(site.join("pkg")).unwrap();
        let options = LeptosOptions::builder()
            .output_name("roster")
            .site_root(site.to_string_lossy().to_string())
            .site_pkg_dir("pkg")
            .build();
        let list = "js: aaa\nwasm: bbb\ncss: ccc\n";
        for file in ["roster.aaa.js", "roster.bbb.wasm"] {
            std::fs::write(site.join("pkg").join(file), "").unwrap();
        }
        assert!(
            !names_files_that_exist(list, &options),
            "the stylesheet is missing"
        );
        std::fs::write(site.join("pkg").join("roster.ccc.css"), "").unwrap();
        assert!(names_files_that_exist(list, &options));
        assert!(
            !names_files_that_exist("", &options),
            "an empty list names nothing"
        );
        std::fs::remove_dir_all(site).unwrap();
    }

    #[test]
    fn public_url_must_be_http() {
        assert!(public_url("ftp://x.example").is_err());
        assert!(public_url("not a url").is_err());
    }
}
