//! Terraform's built-in functions over [`Value`]s.

use std::path::{Path, PathBuf};

use crate::ir::Value;

/// Where a function call is evaluated: `file()` reads relative to `module_dir` and never
/// outside `allowed_roots`.
pub struct FunctionContext<'a> {
    pub module_dir: &'a Path,
    pub allowed_roots: &'a [PathBuf],
}

/// Calls the Terraform function `name`.
///
/// - `Ok(value)`: the result; Unknown when an argument it depends on is Unknown, or when the
///   function is not evaluated statically (`timestamp`, `uuid`, unsupported ones), with a reason.
/// - `Err(message)`: Terraform itself would reject the call (wrong arity or argument type).
///
/// `try` and `can` are not here: they need lazy arguments and are special forms of the
/// evaluator.
pub fn call(name: &str, _args: Vec<Value>, _ctx: &FunctionContext<'_>) -> Result<Value, String> {
    Ok(Value::unknown(format!(
        "function `{name}` is not evaluated"
    )))
}
