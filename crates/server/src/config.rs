//! Command-line options of the server, which tests build directly with [`Config::for_data_dir`].

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

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
        self.data_dir.join("console.sqlite3")
    }
}
