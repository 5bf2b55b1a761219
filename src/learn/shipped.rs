//! The pretrained policy shipped in `models/` and built into the binary (when this build has one).

use super::policy::Policy;
use super::store::ModelError;

/// Where the shipped model lives in the source tree.
pub const SHIPPED_MODEL: &str = "models/policy";

/// The shipped policy: `None` if this build ships no model (e.g. before the first training),
/// otherwise the model loaded from the bytes built into the binary.
pub fn shipped_policy() -> Option<Result<Policy, ModelError>> {
    #[cfg(abcrl_shipped_model)]
    {
        Some(crate::embedded_policy!("models/policy"))
    }
    #[cfg(not(abcrl_shipped_model))]
    {
        None
    }
}
