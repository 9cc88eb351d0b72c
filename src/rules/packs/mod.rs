//! Built-in checks, one module per pack. Each module exports `CHECKS`: the built-in name a rule
//! file refers to (`check = "..."`) and the function implementing it.

pub mod cost;
pub mod dockerfile;
pub mod encryption;
pub mod iam;
pub mod image_size;
pub mod logging;
pub mod security_groups;
pub mod tags;
pub mod workflow;

use super::BuiltinFn;

/// Every built-in check of every pack.
pub fn all() -> impl Iterator<Item = &'static (&'static str, BuiltinFn)> {
    dockerfile::CHECKS
        .iter()
        .chain(workflow::CHECKS)
        .chain(logging::CHECKS)
        .chain(security_groups::CHECKS)
        .chain(tags::CHECKS)
        .chain(iam::CHECKS)
        .chain(cost::CHECKS)
        .chain(image_size::CHECKS)
        .chain(encryption::CHECKS)
}

/// The built-in check called `name`.
pub fn builtin(name: &str) -> Option<BuiltinFn> {
    all().find(|(n, _)| *n == name).map(|(_, f)| *f)
}
