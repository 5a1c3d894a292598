//! `sakura-server healthcheck`: the container's HEALTHCHECK without curl in the image.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use anyhow::Context;

/// GETs `/health/live` on `port` of this host; `Ok` on a 200.
pub fn check(port: u16) -> anyhow::Result<()> {
    let address = ("127.0.0.1", port)
        .to_socket_addrs()?
        .next()
        .context("no address for 127.0.0.1")?;
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(2))
        .with_context(|| format!("connect to port {port}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    stream
        .write_all(b"GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    let status_line = answer.lines().next().unwrap_or_default();
    anyhow::ensure!(
        status_line.split(' ').nth(1) == Some("200"),
        "unhealthy: {status_line}"
    );
    Ok(())
}
