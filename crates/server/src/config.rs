//! Command-line options of the server, which tests build directly with [`Config::for_data_dir`].

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Options of the `console-server` binary.
// `Debug` is not derived because the struct contains the seed passwords.
#[derive(Clone, Parser)]
#[command(
    name = "console-server",
    version,
    about = "Reference backend of the user console",
    long_about = None
)]
pub struct Config {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Directory of the SQLite database `console.sqlite3`, created if missing.
    #[arg(long, default_value = "./data")]
    pub data_dir: PathBuf,

    /// Directory of the built app to serve. Any non-API path without a file gets its
    /// index.html, so deep links work.
    #[arg(long)]
    pub static_dir: Option<PathBuf>,

    /// Password of the seeded account admin `admin`, at least 8 characters. Read on first start
    /// only, and generated at random when missing.
    #[arg(long, env = "CONSOLE_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,

    /// Password of the seeded basic user `viewer`, at least 8 characters. Read on first start
    /// only, and generated at random when missing.
    #[arg(long, env = "CONSOLE_VIEWER_PASSWORD", hide_env_values = true)]
    pub viewer_password: Option<String>,

    /// Origin allowed to call the API with credentials, e.g. `http://localhost:3000`.
    /// Repeat the option for several origins.
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    pub allow_origins: Vec<String>,

    /// Test mode: allow any `http://127.0.0.1:<port>` or `http://localhost:<port>` origin
    /// to call the API with credentials.
    #[arg(long)]
    pub allow_localhost_origins: bool,

    /// Mark the session cookie `Secure`, so browsers send it over HTTPS only.
    #[arg(long)]
    pub secure_cookies: bool,

    /// Origin the app is served from, used in the links of invitation emails, e.g.
    /// `https://portal.example.com`. Defaults to `http://<addr>`.
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,

    /// Hours an invitation link stays valid.
    #[arg(long, default_value_t = 168, value_parser = clap::value_parser!(u32).range(1..=8760))]
    pub invitation_ttl_hours: u32,

    /// Minimum length of a password set through an invitation, 8 to 128 characters.
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u16).range(8..=128))]
    pub password_min_chars: u16,

    /// SMTP server that sends emails, e.g. `smtps://user:password@smtp.example.com` or
    /// `smtp://localhost:25`. Without it, emails are stored in the database's outbox.
    #[arg(
        long,
        env = "CONSOLE_SMTP_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub smtp_url: Option<String>,

    /// Sender address of emails sent over SMTP, e.g. `Customer Portal <noreply@example.com>`.
    #[arg(long, value_name = "ADDRESS")]
    pub mail_from: Option<String>,

    /// Test mode: serve `GET /api/v1/dev/outbox`, which returns the stored emails, invitation
    /// links included, to anyone. Never use it in production.
    #[arg(long)]
    pub expose_outbox: bool,
}

/// The command line: serving is the default, `outbox` prints stored emails.
#[derive(Parser)]
#[command(
    name = "console-server",
    version,
    about = "Reference backend of the user console",
    long_about = None,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub config: Config,
}

#[derive(Subcommand)]
pub enum Command {
    /// Print the emails stored in the outbox, newest first, and exit.
    Outbox {
        /// Directory of the SQLite database `console.sqlite3`.
        #[arg(long, default_value = "./data")]
        data_dir: PathBuf,
        /// Print only emails to this address (compared without regard to case).
        #[arg(long, value_name = "EMAIL")]
        to: Option<String>,
    },
}

impl Config {
    /// Returns the defaults of every option, with the database in `data_dir`.
    pub fn for_data_dir(data_dir: impl Into<PathBuf>) -> Self {
        let mut config = Config::parse_from(["console-server"]);
        config.data_dir = data_dir.into();
        config.admin_password = None;
        config.viewer_password = None;
        config
    }

    /// Path of the SQLite database file.
    pub fn database_path(&self) -> PathBuf {
        database_path(&self.data_dir)
    }

    /// Returns the origin of invitation links: `--public-url` without a trailing `/`, or
    /// `http://<addr>`.
    pub fn public_origin(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.addr),
        }
    }
}

/// Path of the SQLite database file in `data_dir`.
pub fn database_path(data_dir: &std::path::Path) -> PathBuf {
    data_dir.join("console.sqlite3")
}
