//! A WebSocket client for the tests: JSON frames in and out, every wait bounded by a timeout.
//!
//! Reads wait for a frame (never a fixed sleep) and fail after [`WsClient::DEFAULT_TIMEOUT`],
//! so a frame that never comes fails the test quickly instead of hanging it. Ping and pong
//! frames are skipped (tungstenite answers pings by itself).

use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::http::header::AUTHORIZATION;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// Why a WebSocket could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum WsConnectError {
    /// The server answered the upgrade request with an HTTP status instead of `101`.
    #[error("the server refused the upgrade with HTTP {status}: {body}")]
    Refused {
        /// The HTTP status (404 where there is no endpoint, 401 for a bad `Authorization`).
        status: u16,
        /// The response body, as text.
        body: String,
    },
    /// No upgrade answer within the client's timeout.
    #[error("no answer to the upgrade within {0:?}")]
    TimedOut(Duration),
    /// Anything else: the connection failed, a bad URL, a bad handshake.
    #[error("could not open the WebSocket")]
    Failed(#[source] tungstenite::Error),
}

impl WsConnectError {
    /// The HTTP status of a refused upgrade; `None` when the server never answered one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Refused { status, .. } => Some(*status),
            Self::TimedOut(_) | Self::Failed(_) => None,
        }
    }
}

/// How the server closed the socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed {
    /// The close code (`4001` unauthorized, `1008` policy, `1001` going away, ...).
    pub code: u16,
    /// The close reason, often empty.
    pub reason: String,
}

/// One open WebSocket.
pub struct WsClient {
    stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
    timeout: Duration,
}

impl WsClient {
    /// How long a read waits unless [`WsClient::set_timeout`] says otherwise: long enough for a
    /// loaded two-core machine, short enough that a missing frame fails fast.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

    /// Opens `url` (`ws://127.0.0.1:<port>/ws`), with `Authorization: Bearer <token>` on the
    /// upgrade request if a token is given.
    pub async fn connect(url: &str, token: Option<&str>) -> Result<Self, WsConnectError> {
        let mut request = url.into_client_request().map_err(WsConnectError::Failed)?;
        if let Some(token) = token {
            let value = HeaderValue::from_str(&format!("Bearer {token}"))
                .map_err(|e| WsConnectError::Failed(tungstenite::Error::HttpFormat(e.into())))?;
            request.headers_mut().insert(AUTHORIZATION, value);
        }
        let timeout = Self::DEFAULT_TIMEOUT;
        let (stream, _) = tokio::time::timeout(timeout, tokio_tungstenite::connect_async(request))
            .await
            .map_err(|_| WsConnectError::TimedOut(timeout))?
            .map_err(|error| match error {
                tungstenite::Error::Http(response) => WsConnectError::Refused {
                    status: response.status().as_u16(),
                    body: String::from_utf8_lossy(response.body().as_deref().unwrap_or_default())
                        .into_owned(),
                },
                other => WsConnectError::Failed(other),
            })?;
        Ok(Self { stream, timeout })
    }

    /// Changes how long each later read waits.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// Sends `value` as one text frame.
    pub async fn send_json(&mut self, value: &Value) -> anyhow::Result<()> {
        self.send_text(&value.to_string()).await
    }

    /// Sends `text` as one text frame as it is (to send what is not JSON, say).
    pub async fn send_text(&mut self, text: &str) -> anyhow::Result<()> {
        self.stream
            .send(Message::text(text))
            .await
            .context("send a WebSocket frame")
    }

    /// The next frame, parsed as JSON; fails on a close, a binary frame, text that is not JSON,
    /// or nothing within the timeout.
    pub async fn recv_json(&mut self) -> anyhow::Result<Value> {
        let deadline = Instant::now() + self.timeout;
        self.next_json(deadline).await
    }

    /// Skips frames until one whose `type` is `kind`, and returns it. One timeout covers the
    /// whole wait, however many frames are skipped.
    pub async fn recv_until(&mut self, kind: &str) -> anyhow::Result<Value> {
        let deadline = Instant::now() + self.timeout;
        loop {
            let frame = self
                .next_json(deadline)
                .await
                .with_context(|| format!("waiting for a {kind:?} frame"))?;
            if frame["type"] == kind {
                return Ok(frame);
            }
        }
    }

    /// Waits for the server to close the socket with `code`; returns the code and reason. Fails
    /// if a data frame comes first, the code differs, or the connection ends without a close
    /// frame.
    pub async fn expect_close(&mut self, code: u16) -> anyhow::Result<Closed> {
        let deadline = Instant::now() + self.timeout;
        let closed = match self.next_message(deadline).await? {
            Some(Message::Close(Some(frame))) => Closed {
                code: frame.code.into(),
                reason: frame.reason.as_str().to_owned(),
            },
            Some(Message::Close(None)) => bail!("closed without a code, expected {code}"),
            Some(other) => bail!("expected a close with {code}, got the frame {other:?}"),
            None => bail!("the connection ended without a close frame, expected {code}"),
        };
        if closed.code != code {
            bail!(
                "closed with {} ({:?}), expected {code}",
                closed.code,
                closed.reason
            );
        }
        Ok(closed)
    }

    /// The next text frame before `deadline`, as JSON.
    async fn next_json(&mut self, deadline: Instant) -> anyhow::Result<Value> {
        match self.next_message(deadline).await? {
            Some(Message::Text(text)) => serde_json::from_str(text.as_str())
                .with_context(|| format!("a frame that is not JSON: {:?}", text.as_str())),
            Some(Message::Close(frame)) => Err(anyhow!("the server closed the socket: {frame:?}")),
            Some(other) => Err(anyhow!("expected a JSON text frame, got {other:?}")),
            None => Err(anyhow!("the connection ended")),
        }
    }

    /// The next frame that is not a ping or pong, before `deadline`; `None` once the stream ends.
    async fn next_message(&mut self, deadline: Instant) -> anyhow::Result<Option<Message>> {
        loop {
            let next = tokio::time::timeout_at(deadline, self.stream.next())
                .await
                .map_err(|_| anyhow!("no WebSocket frame within {:?}", self.timeout))?;
            match next {
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                Some(Ok(message)) => return Ok(Some(message)),
                Some(Err(error)) => return Err(error).context("read a WebSocket frame"),
                None => return Ok(None),
            }
        }
    }
}
