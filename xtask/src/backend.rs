//! Starting the reference backend for the browser tests, and stopping it again.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use crate::cmd::Result;

/// A running backend, killed when dropped so a failing test run leaves no server behind.
pub struct Backend {
    child: Child,
}

impl Backend {
    /// Starts `command` and waits until `GET /api/v1/health` on `addr` answers 200.
    pub fn start(mut command: Command, addr: &str, log: &Path) -> Result<Backend> {
        let log_file =
            std::fs::File::create(log).map_err(|e| format!("could not create {log:?}: {e}"))?;
        let log_copy = log_file
            .try_clone()
            .map_err(|e| format!("could not reuse log: {e}"))?;
        command.stdout(log_file).stderr(log_copy);
        let child = command
            .spawn()
            .map_err(|e| format!("could not start the backend: {e}"))?;
        let mut backend = Backend { child };
        backend.wait_until_healthy(addr, log)?;
        Ok(backend)
    }

    fn wait_until_healthy(&mut self, addr: &str, log: &Path) -> Result {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "the backend exited with {status}; see {}",
                    log.display()
                ));
            }
            if health_status(addr).is_some_and(|line| line.contains(" 200 ")) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err(format!(
            "the backend on {addr} was not healthy after 30 s; see {}",
            log.display()
        ))
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        if let Err(error) = self.child.kill() {
            eprintln!("xtask: could not stop the backend: {error}");
        }
        if let Err(error) = self.child.wait() {
            eprintln!("xtask: could not wait for the backend to stop: {error}");
        }
    }
}

/// Returns the status line of `GET /api/v1/health`, or `None` while nothing listens.
fn health_status(addr: &str) -> Option<String> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    let request =
        format!("GET /api/v1/health HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    response.lines().next().map(str::to_owned)
}

/// Fails when something already listens on `addr`, naming the port, so a stale server is
/// never mistaken for the one this run starts.
pub fn ensure_port_free(addr: &str) -> Result {
    match TcpStream::connect(addr) {
        Ok(_) => Err(format!(
            "{addr} is already in use; stop what listens there and try again"
        )),
        Err(_) => Ok(()),
    }
}
