//! Shared AWS cross-resource views, built once from the model and reused by several packs.
//!
//! - [`security_groups`]: every security group rule (inline blocks and the three rule
//!   resources) normalized, with its group resolved.
//! - [`s3`]: each bucket merged with its split ACL/policy/public-access-block/ownership
//!   resources and legacy inline arguments.

pub mod s3;
pub mod security_groups;
