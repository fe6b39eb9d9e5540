//! abstriage: screen study abstracts for systematic and qualitative evidence reviews, in the
//! terminal, with decisions kept as TOML beside the corpus.
//!
//! The core (everything but [`tui`]) knows nothing of terminals: [`corpus`] reads files,
//! [`clean`] turns what they hold into [`record::Record`]s, [`decisions`] stores what reviewers
//! decide, [`review`] holds the protocol, [`agreement`] compares reviewers' decisions.

pub mod agreement;
pub mod cache;
pub mod check;
pub mod clean;
pub mod config;
pub mod corpus;
pub mod decisions;
pub mod dedup;
pub mod demo;
pub mod export;
pub mod files;
pub mod filter;
pub mod highlight;
pub mod id;
pub mod query;
pub mod reconcile;
pub mod record;
pub mod review;
pub mod search;
pub mod session;
pub mod stats;
pub mod team;
pub mod tui;
