//! Shared state of the handlers, and the start-up that builds it from the [`Config`].

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use anyhow::Context;
use axum::http::HeaderValue;

use crate::config::Config;
use crate::db::Db;
use crate::faults::FaultTable;
use crate::mail::{self, Mailer};
use crate::rate_limit::{self, RateLimiter};
use crate::security::SecurityHeaders;
use crate::seed::{self, SeededPassword};

/// State of every handler, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<HttpSettings>,
    /// Hash checked when a sign-in names no usable user, so that a wrong username takes as
    /// long as a wrong password. It is made on the first such sign-in.
    pub dummy_password_hash: Arc<OnceLock<String>>,
    pub mailer: Arc<dyn Mailer>,
    pub invitations: Arc<InvitationSettings>,
    pub limits: Arc<RateLimits>,
}

/// Options of invitation links and of the passwords set through them.
pub struct InvitationSettings {
    /// Origin of the app, without a trailing `/`; links go to `<origin>/set-password`.
    pub public_origin: String,
    pub ttl_seconds: i64,
    pub password_min_chars: usize,
}

impl InvitationSettings {
    /// Returns the set-password link of `token`. The token is in the fragment, which
    /// browsers send to no server, so it stays out of access logs and Referer headers.
    pub fn link(&self, token: &str) -> String {
        format!("{}/set-password#token={token}", self.public_origin)
    }
}

/// The in-memory rate limits of the server.
pub struct RateLimits {
    /// Failed sign-ins per username key.
    pub sign_in_usernames: RateLimiter,
    /// Failed sign-ins per client IP address.
    pub sign_in_addresses: RateLimiter,
    /// Invitation emails resent per user id.
    pub invitations: RateLimiter,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            sign_in_usernames: RateLimiter::new(&[rate_limit::SIGN_IN_PER_USERNAME]),
            sign_in_addresses: RateLimiter::new(&[rate_limit::SIGN_IN_PER_ADDRESS]),
            invitations: RateLimiter::new(&rate_limit::INVITATIONS_PER_USER),
        }
    }
}

/// The HTTP options of the [`Config`], checked.
pub struct HttpSettings {
    pub secure_cookies: bool,
    /// Whether the session cookie is `SameSite=None` (`--cross-site-cookies`).
    pub cross_site_cookies: bool,
    pub static_dir: Option<PathBuf>,
    pub allow_origins: Vec<HeaderValue>,
    pub allow_localhost_origins: bool,
    /// Whether `GET /api/v1/dev/outbox` is served.
    pub expose_outbox: bool,
    pub security_headers: SecurityHeaders,
    /// The injected faults; `Some` only with `--enable-fault-injection`.
    pub faults: Option<FaultTable>,
}

/// The state of a started server, and the passwords it seeded (empty after the first start).
pub struct Opened {
    pub state: AppState,
    pub seeded_passwords: Vec<SeededPassword>,
}

impl AppState {
    /// Creates the data directory, opens and migrates the database, and seeds it if empty.
    /// Blocks on disk and on password hashing, so call it before serving.
    pub fn open(config: &Config) -> anyhow::Result<Opened> {
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!(
                "failed to create data directory {}",
                config.data_dir.display()
            )
        })?;
        let db = Db::open(&config.database_path())?;
        let seeded_passwords = db.with_connection(|connection| {
            seed::seed_if_empty(
                connection,
                config.admin_password.as_deref(),
                config.viewer_password.as_deref(),
                config.generated_seed(),
            )
        })?;
        let mailer = mail::from_config(config, &db)?;
        let invitations = InvitationSettings {
            public_origin: config.public_origin(),
            ttl_seconds: i64::try_from(config.invitation_lifetime().as_secs())
                .context("the invitation lifetime does not fit in 64 bits")?,
            password_min_chars: usize::from(config.password_min_chars),
        };
        let state = AppState {
            db,
            settings: Arc::new(HttpSettings::from_config(config)?),
            dummy_password_hash: Arc::default(),
            mailer,
            invitations: Arc::new(invitations),
            limits: Arc::default(),
        };
        Ok(Opened {
            state,
            seeded_passwords,
        })
    }
}

impl HttpSettings {
    fn from_config(config: &Config) -> anyhow::Result<HttpSettings> {
        let allow_origins = config
            .allow_origins
            .iter()
            .map(|origin| parse_origin(origin))
            .collect::<anyhow::Result<Vec<HeaderValue>>>()?;
        Ok(HttpSettings {
            secure_cookies: config.secure_cookies,
            cross_site_cookies: config.cross_site_cookies,
            static_dir: config.static_dir.clone(),
            allow_origins,
            allow_localhost_origins: config.allow_localhost_origins,
            expose_outbox: config.expose_outbox,
            security_headers: SecurityHeaders::new(
                config.static_dir.as_deref(),
                config.secure_cookies,
            )?,
            faults: config.enable_fault_injection.then(FaultTable::default),
        })
    }

    /// Returns whether `origin` may call the API with credentials: one of `--allow-origin`,
    /// or in test mode any `http://127.0.0.1:<port>` or `http://localhost:<port>`.
    pub fn is_allowed_origin(&self, origin: &HeaderValue) -> bool {
        self.allow_origins.contains(origin)
            || (self.allow_localhost_origins && is_localhost_origin(origin))
    }
}

/// Returns whether `origin` is `http://127.0.0.1:<port>` or `http://localhost:<port>`.
fn is_localhost_origin(origin: &HeaderValue) -> bool {
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let port = origin
        .strip_prefix("http://127.0.0.1:")
        .or_else(|| origin.strip_prefix("http://localhost:"));
    port.is_some_and(|port| port.parse::<u16>().is_ok())
}

/// Checks an `--allow-origin` value: `scheme://host[:port]` as browsers send it.
pub fn parse_origin(origin: &str) -> anyhow::Result<HeaderValue> {
    let origin = origin.trim_end_matches('/');
    let has_scheme = origin.starts_with("http://") || origin.starts_with("https://");
    let rest = origin
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or_default();
    if !has_scheme || rest.is_empty() || rest.contains('/') || origin.contains('*') {
        anyhow::bail!(
            "invalid --allow-origin {origin:?}: expected scheme://host[:port], \
             e.g. http://localhost:3000"
        );
    }
    HeaderValue::from_str(origin).with_context(|| format!("invalid --allow-origin {origin:?}"))
}
