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

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Colour codes only help on a terminal; in a log file they are noise.
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stdout().is_terminal())
        .init();
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Outbox { data_dir, to }) => print_outbox(&data_dir, to.as_deref()),
        None => serve(cli.config).await,
    }
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

async fn serve(config: Config) -> anyhow::Result<()> {
    let opened = AppState::open(&config)?;
    // Shown once, on the terminal of whoever started the server, and never logged.
    for seeded in &opened.seeded_passwords {
        let origin = if seeded.is_generated {
            "generated"
        } else {
            "given"
        };
        println!(
            "Seeded user '{}' ({}) password ({origin}): {}",
            seeded.username,
            seeded.admin_level.label(),
            seeded.password
        );
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
