//! Built-in checks of the `workflow` pack.

use crate::rules::BuiltinFn;

/// The checks of this pack, by built-in name.
pub const CHECKS: &[(&str, BuiltinFn)] = &[];
