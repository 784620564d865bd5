//! [`Report`]: what a run did. The runner never prints; the CLI or application does.

use std::time::Duration;

pub use super::error::AppliedStep;

/// What a run did: the heads before and after, and every step.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// The applied heads when the run started (after taking the lock).
    pub heads_before: Vec<String>,
    /// The applied heads when it ended.
    pub heads_after: Vec<String>,
    /// Every step, in order.
    pub steps: Vec<AppliedStep>,
    /// Planner warnings (an ambiguous `downgrade -1` over several heads, ...).
    pub warnings: Vec<String>,
}

impl Report {
    /// Whether the run found nothing to do.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty() && self.heads_before == self.heads_after
    }

    /// The time of all steps together.
    pub fn total_duration(&self) -> Duration {
        self.steps.iter().map(|s| s.duration).sum()
    }
}
