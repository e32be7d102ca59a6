//! `console-server`: serves the console's JSON API (and optionally the built app) until
//! Ctrl-C or SIGTERM. Run with `--help` for the options.

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::Path;

use anyhow::Context;
use clap::Parser;
use console_server::config::{Cli, Command};
use console_server::db::{Db, outbox};
use console_server::{AppState, Config, app};
use tracing_subscriber::EnvFilter;

fn main() -> anyhow::Result<()> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Colour codes only help on a terminal; in a log file they are noise.
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stdout().is_terminal())
        .init();
    limit_malloc_arenas();
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Outbox { data_dir, to }) => print_outbox(&data_dir, to.as_deref()),
        Some(Command::PrintCsp {
            static_dir,
            connect_sources,
        }) => print_csp(&static_dir, &connect_sources),
        None => runtime()?.block_on(serve(cli.config)),
    }
}

/// Makes glibc's malloc use one arena for all threads. By default each thread that allocates
/// gets an arena of its own, up to 8 per core, and memory freed in one arena serves only that
/// arena's thread: under load that doubled the server's peak memory (`cargo xtask bench`).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    // SAFETY: mallopt only changes a malloc setting, and no other thread runs yet.
    let is_set = unsafe { libc::mallopt(libc::M_ARENA_MAX, 1) } == 1;
    if !is_set {
        tracing::warn!("failed to limit malloc to one arena; the memory use may be higher");
    }
}

/// Other C libraries have no arenas to limit.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}

/// Builds the async runtime. Its blocking threads run the database work and password
/// hashing. Each thread that allocates gets its own malloc arena, so a few threads keep the
/// memory low: one per database connection, and one for hashing.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(console_server::db::MAX_CONNECTIONS + 1)
        .build()
        .context("failed to start the async runtime")
}

/// Prints the stored emails, newest first, separated by a line of dashes.
fn print_outbox(data_dir: &Path, to: Option<&str>) -> anyhow::Result<()> {
    let path = console_server::config::database_path(data_dir);
    if !path.exists() {
        anyhow::bail!(
            "no database at {}; pass the server's --data-dir",
            path.display()
        );
    }
    let db = Db::open(&path)?;
    let messages = db.with_connection(|connection| Ok(outbox::list(connection, to)?))?;
    if messages.is_empty() {
        println!("The outbox is empty.");
    }
    let mut out = std::io::stdout().lock();
    for message in messages {
        let written = write!(
            out,
            "To: {}\nSubject: {}\nDate: {}\n\n{}\n{}\n",
            message.recipient,
            message.subject,
            message.created_at,
            message.body,
            "-".repeat(72)
        );
        // A closed pipe, as with `| head`, ends the listing without an error.
        match written {
            Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => break,
            other => other.context("failed to print the outbox")?,
        }
    }
    Ok(())
}

/// Prints the Content-Security-Policy of the app built into `static_dir`.
fn print_csp(static_dir: &Path, connect_sources: &[String]) -> anyhow::Result<()> {
    let index = static_dir.join("index.html");
    if !index.exists() {
        anyhow::bail!(
            "no {}; build the app first (cargo xtask build)",
            index.display()
        );
    }
    for source in connect_sources {
        console_server::state::parse_origin(source)?;
    }
    let policy =
        console_server::security::content_security_policy(Some(static_dir), connect_sources)?;
    println!("{policy}");
    Ok(())
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let opened = AppState::open(&config)?;
    // A generated password is shown once, on the terminal of whoever started the server, and
    // never logged. A given one is not repeated, because standard output often goes to a log.
    for seeded in &opened.seeded_passwords {
        if seeded.is_generated {
            println!(
                "Seeded user '{}' ({}) password (generated): {}",
                seeded.username,
                seeded.admin_level.label(),
                seeded.password
            );
        } else {
            println!(
                "Seeded user '{}' ({}) with the password given at start",
                seeded.username,
                seeded.admin_level.label(),
            );
        }
    }
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("failed to listen on {}", config.addr))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, data_dir = %config.data_dir.display(), "console-server started");
    let service = app(opened.state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("server failed")?;
    tracing::info!("console-server stopped");
    Ok(())
}

/// Completes on Ctrl-C or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "failed to listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "failed to listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutdown signal received, finishing open requests");
}
