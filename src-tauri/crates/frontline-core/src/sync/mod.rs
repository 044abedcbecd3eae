//! Sync with the vendor's helpdesk: the outbox (local side), the engine that drains it, the
//! [`vendor::VendorApi`] trait and its Zendesk adapter, and the injected HTTP transport.
pub mod connection;
pub mod engine;
pub mod freshdesk;
pub(crate) mod handover;
pub mod http;
pub mod operation;
pub mod outbox;
pub mod vendor;
pub mod wire;
pub mod zendesk;

pub use engine::{EngineConfig, SyncEngine, SyncStatus};
pub use vendor::{Disposition, VendorApi, VendorError};
