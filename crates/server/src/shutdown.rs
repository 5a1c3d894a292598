//! Graceful shutdown: on SIGTERM or ctrl-c, sockets hear it first (and close with 1001), then the
//! HTTP server stops accepting and finishes the requests in flight.

use std::future::Future;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use sakura_services::ShutdownTrigger;

/// Longest wait for open sockets to close before the HTTP server stops regardless.
const SOCKET_GRACE: Duration = Duration::from_secs(5);

/// Waits for `signal`, fires `trigger` (sockets close), then stops the server gracefully: new
/// connections are refused and requests in flight get the server's shutdown timeout.
pub(crate) async fn stop_on(
    signal: impl Future<Output = ()>,
    trigger: ShutdownTrigger,
    server: ServerHandle,
    timeout: Duration,
) {
    signal.await;
    tracing::info!("shutting down: closing sockets");
    let still_open = trigger.fire(SOCKET_GRACE.min(timeout)).await;
    if still_open > 0 {
        tracing::warn!(still_open, "sockets did not close in time; stopping anyway");
    }
    tracing::info!(
        timeout_secs = timeout.as_secs(),
        "shutting down: finishing in-flight requests"
    );
    server.stop(true).await;
}

/// SIGTERM (what orchestrators send) or ctrl-c.
pub(crate) async fn os_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for ctrl-c");
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
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use std::net::TcpListener;

    use actix_web::{App, HttpServer, web};

    use super::*;

    #[tokio::test]
    async fn sockets_hear_the_signal_while_the_server_still_answers_and_it_stops_after()
    -> anyhow::Result<()> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let url = format!("http://{}/", listener.local_addr()?);
        let server = HttpServer::new(|| App::new().route("/", web::get().to(|| async { "up" })))
            .listen(listener)?
            .disable_signals()
            .workers(1)
            .run();
        let (trigger, shutdown) = sakura_services::shutdown::channel();
        // An open socket: the server must not stop before it has closed.
        let socket = shutdown.connection();
        let (fire, signal) = tokio::sync::oneshot::channel::<()>();
        let stopping = tokio::spawn(stop_on(
            async {
                let _ = signal.await;
            },
            trigger,
            server.handle(),
            Duration::from_secs(10),
        ));
        let serving = tokio::spawn(server);

        let _ = fire.send(());
        tokio::time::timeout(Duration::from_secs(5), shutdown.wait()).await?;
        let answer = reqwest::get(&url).await?;
        assert_eq!(answer.text().await?, "up", "still serving after the signal");
        assert!(!serving.is_finished());

        drop(socket);
        tokio::time::timeout(Duration::from_secs(10), serving).await???;
        stopping.await?;
        assert!(
            reqwest::get(&url).await.is_err(),
            "stopped after the sockets closed"
        );
        Ok(())
    }
}
