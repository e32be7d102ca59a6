//! Command-line options of the server, which tests build directly with [`Config::for_data_dir`].

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::seed::GeneratedSeed;

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

    /// Send the session cookie with `SameSite=None` instead of `SameSite=Strict`, for an app
    /// served from another site than the API (another registrable domain, such as
    /// `console.example` calling `api.example.net`). Browsers accept `SameSite=None` only on
    /// `Secure` cookies, so this needs `--secure-cookies` and HTTPS.
    #[arg(long, requires = "secure_cookies")]
    pub cross_site_cookies: bool,

    /// Address the app is served from, with its path when it is not at the root, used in the
    /// links of invitation emails, e.g. `https://portal.example.com/admin`. Defaults to
    /// `http://<addr>`.
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,

    /// How long an invitation link stays valid: a whole number and a unit, s (seconds),
    /// m (minutes), h (hours) or d (days), such as `90m` or `7d`. From 1s to 365d.
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "7d",
        value_parser = parse_invitation_ttl
    )]
    pub invitation_ttl: Duration,

    /// Hours an invitation link stays valid, 1 to 8760: the same as `--invitation-ttl <N>h`.
    #[arg(
        long,
        value_name = "HOURS",
        conflicts_with = "invitation_ttl",
        value_parser = clap::value_parser!(u32).range(1..=8760)
    )]
    pub invitation_ttl_hours: Option<u32>,

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

    /// Users to generate on first start beside the demo organisation, 0 to 1000000: varied
    /// names, statuses, roles and accounts, the same on every run, for trying the console at
    /// scale. None of them can sign in. Read on first start only: a database that already
    /// has users keeps them, and a warning is logged.
    #[arg(
        long,
        value_name = "N",
        default_value = "0",
        allow_negative_numbers = true,
        value_parser = parse_seed_users
    )]
    pub seed_users: u32,

    /// Accounts to generate on first start beside the demo organisation's 4, 0 to 10000.
    /// Generated users are granted 1 to 3 of all the accounts. Read on first start only,
    /// like --seed-users.
    #[arg(
        long,
        value_name = "M",
        default_value = "0",
        allow_negative_numbers = true,
        value_parser = parse_seed_accounts
    )]
    pub seed_accounts: u32,

    /// Test mode: serve `GET /api/v1/dev/outbox`, which returns the stored emails, invitation
    /// links included, to anyone. Never use it in production.
    #[arg(long)]
    pub expose_outbox: bool,

    /// Test mode: serve `PUT` and `DELETE /api/v1/dev/faults`, through which anyone can make
    /// API operations slow, fail, drop the connection or end the caller's session. For
    /// browser tests only; never use it in production.
    #[arg(long)]
    pub enable_fault_injection: bool,
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
    /// Print the Content-Security-Policy that the server sends for the built app in
    /// --static-dir, for a CDN that serves the app, and exit.
    PrintCsp {
        /// Directory of the built app, whose index.html has the inline loader to allow.
        #[arg(long)]
        static_dir: PathBuf,
        /// Origin of the API when it differs from the app's, such as
        /// `https://api.example.com`, added to `connect-src`. Repeat for several.
        #[arg(long = "connect-src", value_name = "ORIGIN")]
        connect_sources: Vec<String>,
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

    /// Returns how long an invitation link stays valid, from `--invitation-ttl-hours` when
    /// given, else from `--invitation-ttl`.
    pub fn invitation_lifetime(&self) -> Duration {
        match self.invitation_ttl_hours {
            Some(hours) => Duration::from_secs(u64::from(hours) * SECONDS_PER_HOUR),
            None => self.invitation_ttl,
        }
    }

    /// Returns how many users and accounts to generate on first start.
    pub fn generated_seed(&self) -> GeneratedSeed {
        GeneratedSeed {
            users: self.seed_users,
            accounts: self.seed_accounts,
        }
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

/// Maximum of `--seed-users`: a million users take about a minute to generate.
const MAX_SEED_USERS: u32 = 1_000_000;
/// Maximum of `--seed-accounts`: `GET /accounts` returns every account in one response.
const MAX_SEED_ACCOUNTS: u32 = 10_000;

/// Parses the value of `--seed-users`, a whole number from 0 to 1000000.
pub fn parse_seed_users(text: &str) -> Result<u32, String> {
    parse_count(text, MAX_SEED_USERS)
}

/// Parses the value of `--seed-accounts`, a whole number from 0 to 10000.
pub fn parse_seed_accounts(text: &str) -> Result<u32, String> {
    parse_count(text, MAX_SEED_ACCOUNTS)
}

/// Parses a whole number from 0 to `max` written with digits only. The message leaves out
/// the value, because clap's message already names it.
fn parse_count(text: &str, max: u32) -> Result<u32, String> {
    let message = || format!("expected a whole number from 0 to {max}");
    if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(message());
    }
    match text.parse::<u32>() {
        Ok(count) if count <= max => Ok(count),
        _ => Err(message()),
    }
}

const SECONDS_PER_HOUR: u64 = 60 * 60;
/// Maximum invitation lifetime that the options accept: 365 days.
const MAX_INVITATION_TTL: Duration = Duration::from_secs(365 * 24 * SECONDS_PER_HOUR);
/// Clap puts "invalid value '<text>' for '--invitation-ttl <DURATION>': " before these.
const DURATION_FORMAT: &str = "expected a whole number and a unit, s, m, h or d, such as 90m or 7d";
const DURATION_RANGE: &str = "the lifetime must be from 1s to 365d";

/// Parses the value of `--invitation-ttl`, such as `30s`, `90m`, `36h` or `7d`, and checks
/// that it lies between 1 second and 365 days. The error messages leave out the value,
/// because clap's message already names it.
pub fn parse_invitation_ttl(text: &str) -> Result<Duration, String> {
    let split = text.len().saturating_sub(1);
    let (number, unit) = text.split_at_checked(split).unwrap_or((text, ""));
    let unit_seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => SECONDS_PER_HOUR,
        "d" => 24 * SECONDS_PER_HOUR,
        _ => return Err(DURATION_FORMAT.to_owned()),
    };
    if number.is_empty() || !number.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(DURATION_FORMAT.to_owned());
    }
    let out_of_range = || DURATION_RANGE.to_owned();
    // The number contains only digits, so parsing fails only when it is too large.
    let count: u64 = number.parse().map_err(|_| out_of_range())?;
    let seconds = count.checked_mul(unit_seconds).ok_or_else(out_of_range)?;
    let lifetime = Duration::from_secs(seconds);
    if lifetime.is_zero() || lifetime > MAX_INVITATION_TTL {
        return Err(out_of_range());
    }
    Ok(lifetime)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[test]
    fn invitation_ttl_accepts_each_unit() {
        let cases = [
            ("1s", 1),
            ("90m", 90 * 60),
            ("36h", 36 * 60 * 60),
            ("7d", 7 * 24 * 60 * 60),
            ("365d", 365 * 24 * 60 * 60),
        ];
        for (text, seconds) in cases {
            assert_eq!(
                parse_invitation_ttl(text),
                Ok(Duration::from_secs(seconds)),
                "{text} is {seconds} seconds"
            );
        }
    }

    #[test]
    fn invitation_ttl_rejects_bad_format() {
        for text in [
            "", "7", "d", "7 d", "1.5h", "-1h", "+1h", "7w", "7D", "1h30m", "٣d",
        ] {
            let error = parse_invitation_ttl(text).expect_err(text);
            assert!(
                error.contains("a whole number and a unit"),
                "{text:?} is rejected with the expected format, got {error:?}"
            );
        }
    }

    #[test]
    fn invitation_ttl_rejects_out_of_range() {
        for text in [
            "0s",
            "0d",
            "366d",
            "8761h",
            "99999999999999999999s",
            "999999999999999999d",
        ] {
            let error = parse_invitation_ttl(text).expect_err(text);
            assert!(
                error.contains("must be from 1s to 365d"),
                "{text:?} is rejected with the range, got {error:?}"
            );
        }
    }

    #[test]
    fn seed_options_accept_counts_in_range() {
        let parse = |args: &[&str]| {
            let command_line = ["console-server"].iter().chain(args);
            Cli::try_parse_from(command_line).map(|cli| cli.config.generated_seed())
        };
        let seed = parse(&["--seed-users", "100000", "--seed-accounts", "2000"]);
        assert_eq!(
            seed.ok(),
            Some(GeneratedSeed {
                users: 100_000,
                accounts: 2_000
            }),
            "both counts are read"
        );
        assert_eq!(
            parse(&[]).ok(),
            Some(GeneratedSeed::default()),
            "nothing is generated by default"
        );
        for args in [
            ["--seed-users", "-5"],
            ["--seed-users", "1e5"],
            ["--seed-users", "1000001"],
            ["--seed-accounts", "10001"],
            ["--seed-accounts", ""],
        ] {
            let error = parse(&args).expect_err("an invalid count");
            assert!(
                error
                    .to_string()
                    .contains("expected a whole number from 0 to"),
                "{args:?} is rejected with the range, got {error}"
            );
        }
    }

    #[test]
    fn invitation_lifetime_defaults_to_seven_days() {
        let config = Config::for_data_dir("unused");
        assert_eq!(
            config.invitation_lifetime(),
            Duration::from_secs(7 * 86_400)
        );
    }

    #[test]
    fn ttl_options_set_lifetime() {
        let parse = |args: &[&str]| {
            let command_line = ["console-server"].iter().chain(args);
            Cli::try_parse_from(command_line).map(|cli| cli.config.invitation_lifetime())
        };
        assert_eq!(
            parse(&["--invitation-ttl", "2s"]).ok(),
            Some(Duration::from_secs(2)),
            "--invitation-ttl sets the lifetime"
        );
        assert_eq!(
            parse(&["--invitation-ttl-hours", "3"]).ok(),
            Some(Duration::from_secs(3 * 3600)),
            "--invitation-ttl-hours still sets the lifetime in hours"
        );
        let both = parse(&["--invitation-ttl", "2s", "--invitation-ttl-hours", "3"]);
        assert!(both.is_err(), "the two options exclude each other");
        let error = parse(&["--invitation-ttl", "soon"]).expect_err("a word is rejected");
        assert!(
            error
                .to_string()
                .contains("invalid value 'soon' for '--invitation-ttl"),
            "the message names the value and the option, got {error}"
        );
    }
}
