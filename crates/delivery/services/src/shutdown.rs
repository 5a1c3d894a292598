//! The shutdown signal: the server fires it first, open sockets close with 1001 ("going away"),
//! and only then does the HTTP server stop accepting and finish the requests in flight.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

/// A pair: the server keeps the trigger, every socket gets a [`Shutdown`].
pub fn channel() -> (ShutdownTrigger, Shutdown) {
    let (fired, fired_rx) = watch::channel(false);
    let open = Arc::new(watch::Sender::new(0));
    let shutdown = Shutdown {
        fired: fired_rx,
        open: open.clone(),
    };
    (ShutdownTrigger { fired, open }, shutdown)
}

/// The server's end: fires the signal and waits for the sockets to close.
#[derive(Debug)]
pub struct ShutdownTrigger {
    fired: watch::Sender<bool>,
    open: Arc<watch::Sender<usize>>,
}

impl ShutdownTrigger {
    /// Another listener for this trigger's signal.
    pub fn subscribe(&self) -> Shutdown {
        Shutdown {
            fired: self.fired.subscribe(),
            open: self.open.clone(),
        }
    }

    /// Fires the signal, then waits up to `grace` for every [`ConnectionGuard`] to drop.
    /// Returns how many connections were still open when the wait ended.
    pub async fn fire(&self, grace: Duration) -> usize {
        self.fired.send_replace(true);
        let mut open = self.open.subscribe();
        // The sender lives in `self`, so `wait_for` can only end by the predicate or the timeout.
        let _ = tokio::time::timeout(grace, open.wait_for(|n| *n == 0)).await;
        *self.open.borrow()
    }
}

/// A listener's end: resolves when the server begins to shut down.
#[derive(Debug, Clone)]
pub struct Shutdown {
    fired: watch::Receiver<bool>,
    open: Arc<watch::Sender<usize>>,
}

impl Shutdown {
    /// Resolves once the signal has fired (at once if it already has, or if its trigger is gone).
    pub async fn wait(&self) {
        let mut fired = self.fired.clone();
        // An error means the trigger was dropped: nobody can fire it, so the server is going.
        let _ = fired.wait_for(|fired| *fired).await;
    }

    /// Whether the signal has fired.
    pub fn is_fired(&self) -> bool {
        *self.fired.borrow()
    }

    /// Counts a connection as open until the guard drops; the trigger waits for it to close.
    pub fn connection(&self) -> ConnectionGuard {
        self.open.send_modify(|n| *n += 1);
        ConnectionGuard {
            open: self.open.clone(),
        }
    }
}

/// An open connection the shutdown waits for (up to its grace period).
#[derive(Debug)]
pub struct ConnectionGuard {
    open: Arc<watch::Sender<usize>>,
}

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        self.open.send_modify(|n| *n = n.saturating_sub(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn listeners_hear_the_signal_and_the_trigger_waits_for_open_connections() {
        let (trigger, shutdown) = channel();
        let guard = shutdown.connection();
        assert!(!shutdown.is_fired());
        let socket = tokio::spawn({
            let shutdown = shutdown.clone();
            async move {
                shutdown.wait().await;
                // The socket sends its 1001 close here, then goes.
                drop(guard);
            }
        });
        let still_open = trigger.fire(Duration::from_secs(5)).await;
        assert_eq!(still_open, 0);
        assert!(shutdown.is_fired());
        assert!(socket.await.is_ok());
    }

    #[tokio::test]
    async fn the_trigger_gives_up_on_a_connection_after_the_grace_period() {
        let (trigger, shutdown) = channel();
        let _stuck = shutdown.connection();
        let still_open = trigger.fire(Duration::from_millis(20)).await;
        assert_eq!(still_open, 1);
    }
}
