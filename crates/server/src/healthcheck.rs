//! `sakura-server healthcheck`: the container's HEALTHCHECK without curl in the image.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream};
use std::time::Duration;

use anyhow::Context;

/// Where to reach a server that listens on `host`: `host` itself when it is one address (the
/// server hears nothing else), loopback when it listens on every address (`0.0.0.0`, `::`) or
/// `host` is unset or a name (`localhost`).
pub fn target(host: &str) -> IpAddr {
    match host.trim().trim_matches(['[', ']']).parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        Ok(IpAddr::V6(v6)) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        Ok(address) => address,
        Err(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
    }
}

/// GETs `/health/live` on `port` of the address a server listening on `host` answers on (see
/// [`target`]); `Ok` on a 200.
pub fn check(host: &str, port: u16) -> anyhow::Result<()> {
    let address = SocketAddr::new(target(host), port);
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(2))
        .with_context(|| format!("connect to {address}"))?;
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

#[cfg(test)]
mod tests {
    use std::net::TcpListener;

    use super::*;

    #[test]
    fn a_server_on_every_address_is_checked_on_loopback() {
        assert_eq!(target("0.0.0.0"), IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(target("::"), IpAddr::V6(Ipv6Addr::LOCALHOST));
        assert_eq!(target("[::]"), IpAddr::V6(Ipv6Addr::LOCALHOST));
    }

    #[test]
    fn a_server_on_one_address_is_checked_on_that_address() {
        assert_eq!(target("10.1.2.3"), IpAddr::V4(Ipv4Addr::new(10, 1, 2, 3)));
        assert_eq!(
            target("fd00::5"),
            IpAddr::V6(Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0, 5))
        );
        assert_eq!(target("127.0.0.1"), IpAddr::V4(Ipv4Addr::LOCALHOST));
    }

    #[test]
    fn an_unset_host_or_a_name_is_checked_on_loopback() {
        assert_eq!(target(""), IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(target("localhost"), IpAddr::V4(Ipv4Addr::LOCALHOST));
    }

    // 127.0.0.2 is a loopback address 127.0.0.1 does not answer for: a server bound there is
    // what a server bound to a specific non-loopback address looks like to the old check.
    #[test]
    fn the_check_reaches_a_server_bound_to_one_specific_address() -> anyhow::Result<()> {
        let listener = TcpListener::bind("127.0.0.2:0")?;
        let port = listener.local_addr()?.port();
        let server = std::thread::spawn(move || -> anyhow::Result<()> {
            let (mut stream, _) = listener.accept()?;
            let mut request = [0_u8; 1024];
            let _ = stream.read(&mut request)?;
            stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")?;
            Ok(())
        });

        check("127.0.0.2", port)?;

        server
            .join()
            .map_err(|_| anyhow::anyhow!("server thread panicked"))??;
        Ok(())
    }
}
