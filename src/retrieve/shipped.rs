//! The retrieval index shipped in `models/index/` and built into the binary (when present).

use super::index::{DesignIndex, IndexError};

/// The shipped index, checked against `model_hash`: `None` if this build ships no index.
pub fn shipped_index(model_hash: &str) -> Option<Result<DesignIndex, IndexError>> {
    #[cfg(abcrl_shipped_index)]
    {
        Some(DesignIndex::load_from_bytes(
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/models/index/index.json")),
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/", env!("ABCRL_INDEX_GRAPH"))),
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/", env!("ABCRL_INDEX_DATA"))),
            model_hash,
        ))
    }
    #[cfg(not(abcrl_shipped_index))]
    {
        let _ = model_hash;
        None
    }
}
