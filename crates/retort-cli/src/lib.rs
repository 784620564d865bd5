//! Retort's command line (work in progress).
