//! bcrypt, off the async workers.

use std::sync::Arc;

use anyhow::Context;
use async_trait::async_trait;
use sakura_application::ports::{HashError, PasswordHash, PasswordHasher};
use sakura_domain::auth::Password;
use tokio::sync::Semaphore;

/// Hashes with bcrypt at a configured cost.
#[derive(Clone)]
pub struct BcryptPasswordHasher {
    cost: u32,
    /// Bounds concurrent hashes to the number of cores: beyond that, more threads only add
    /// contention, and the blocking pool stays free for other blocking work.
    permits: Arc<Semaphore>,
    /// Verified against when the account is unknown, so that failure costs the same time.
    dummy_hash: Arc<str>,
}

impl BcryptPasswordHasher {
    /// Builds a hasher with `cost` (4–31), computing its dummy hash on the blocking pool.
    pub async fn new(cost: u32) -> anyhow::Result<Self> {
        anyhow::ensure!(
            (4..=31).contains(&cost),
            "bcrypt cost must be within 4..=31, got {cost}"
        );
        let dummy_hash =
            tokio::task::spawn_blocking(move || bcrypt::hash("not a real password 0", cost))
                .await
                .context("dummy hash task")?
                .context("dummy hash")?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(Self {
            cost,
            permits: Arc::new(Semaphore::new(cores)),
            dummy_hash: dummy_hash.into(),
        })
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, bcrypt::BcryptError> + Send + 'static,
    ) -> Result<T, HashError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| HashError(anyhow::Error::new(e).context("hasher semaphore closed")))?;
        // The caller's span (the request's) goes along, so what bcrypt's side logs is traceable.
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || span.in_scope(work))
            .await
            .map_err(|e| HashError(anyhow::Error::new(e).context("bcrypt task")))?
            .map_err(|e| HashError(anyhow::Error::new(e).context("bcrypt")))
    }
}

#[async_trait]
impl PasswordHasher for BcryptPasswordHasher {
    async fn hash(&self, password: &Password) -> Result<PasswordHash, HashError> {
        let secret = password.expose().to_owned();
        let cost = self.cost;
        self.run(move || bcrypt::hash(secret, cost))
            .await
            .map(PasswordHash)
    }

    async fn verify(
        &self,
        candidate: &str,
        hash: Option<&PasswordHash>,
    ) -> Result<bool, HashError> {
        // bcrypt reads at most 72 bytes, so a longer candidate would match any stored password
        // that is its first 72 bytes. No valid password is longer: refuse it, after the same
        // work against the dummy hash, so the answer takes as long as any other.
        let fits = candidate.len() <= Password::MAX_BYTES;
        let known = hash.is_some() && fits;
        let hash = match hash {
            Some(h) if fits => h.0.clone(),
            _ => self.dummy_hash.to_string(),
        };
        let candidate = candidate.to_owned();
        let matches = self
            .run(move || bcrypt::verify(candidate.as_bytes(), &hash))
            .await?;
        Ok(known && matches)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_no_other() -> anyhow::Result<()> {
        let hasher = BcryptPasswordHasher::new(4).await?;
        let hash = hasher.hash(&Password::parse("katana123")?).await?;
        assert!(hash.0.starts_with("$2b$04$"));
        assert!(hasher.verify("katana123", Some(&hash)).await?);
        assert!(!hasher.verify("katana124", Some(&hash)).await?);
        Ok(())
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies_even_with_the_dummy_password() -> anyhow::Result<()>
    {
        let hasher = BcryptPasswordHasher::new(4).await?;
        assert!(!hasher.verify("not a real password 0", None).await?);
        Ok(())
    }

    #[tokio::test]
    async fn a_corrupt_stored_hash_is_an_error_not_a_match() -> anyhow::Result<()> {
        let hasher = BcryptPasswordHasher::new(4).await?;
        assert!(
            hasher
                .verify("katana123", Some(&PasswordHash("garbage".into())))
                .await
                .is_err()
        );
        Ok(())
    }

    #[tokio::test]
    async fn a_72_byte_password_with_anything_appended_does_not_verify() -> anyhow::Result<()> {
        let hasher = BcryptPasswordHasher::new(4).await?;
        let password = format!("{}1", "a".repeat(71));
        let hash = hasher.hash(&Password::parse(&password)?).await?;
        assert!(hasher.verify(&password, Some(&hash)).await?);
        assert!(!hasher.verify(&format!("{password}x"), Some(&hash)).await?);
        Ok(())
    }

    #[tokio::test]
    async fn a_cost_out_of_range_is_refused() {
        assert!(BcryptPasswordHasher::new(3).await.is_err());
    }
}
