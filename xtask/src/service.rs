//! Starting the servers a task needs (the reference backend, ChromeDriver) and stopping them
//! again.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use crate::cmd::Result;

/// A running server, killed when dropped so a failing run leaves no server behind.
pub struct Service {
    child: Child,
}

impl Service {
    /// Starts `command` and waits until `GET health_path` on `addr` returns 200. The server's
    /// output goes to `log`.
    pub fn start(
        mut command: Command,
        addr: &str,
        health_path: &str,
        log: &Path,
    ) -> Result<Service> {
        let log_file =
            std::fs::File::create(log).map_err(|e| format!("could not create {log:?}: {e}"))?;
        let log_copy = log_file
            .try_clone()
            .map_err(|e| format!("could not reuse log: {e}"))?;
        command.stdout(log_file).stderr(log_copy);
        let shown = command.get_program().to_string_lossy().into_owned();
        let child = command
            .spawn()
            .map_err(|e| format!("could not start {shown}: {e}"))?;
        let mut service = Service { child };
        service.wait_until_healthy(addr, health_path, log)?;
        Ok(service)
    }

    /// Returns the operating system's id of the server process.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    fn wait_until_healthy(&mut self, addr: &str, health_path: &str, log: &Path) -> Result {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "the server exited with {status}; see {}",
                    log.display()
                ));
            }
            if health_status(addr, health_path).is_some_and(|line| line.contains(" 200 ")) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err(format!(
            "the server on {addr} was not healthy after 30 s; see {}",
            log.display()
        ))
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        if let Err(error) = self.child.kill() {
            eprintln!("xtask: could not stop a server: {error}");
        }
        if let Err(error) = self.child.wait() {
            eprintln!("xtask: could not wait for a server to stop: {error}");
        }
    }
}

/// Returns the status line of `GET path` on `addr`, or `None` while nothing listens.
fn health_status(addr: &str, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    // Only the status line is read: some servers keep the connection open after responding.
    let mut status_line = String::new();
    BufReader::new(stream).read_line(&mut status_line).ok()?;
    Some(status_line)
}

/// Fails when something already listens on `addr`, naming it, so a stale server is never
/// mistaken for the one this run starts.
pub fn ensure_port_free(addr: &str) -> Result {
    match TcpStream::connect(addr) {
        Ok(_) => Err(format!(
            "{addr} is already in use; stop what listens there and try again"
        )),
        Err(_) => Ok(()),
    }
}
