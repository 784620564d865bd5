//! Retort's migration environment (work in progress).
