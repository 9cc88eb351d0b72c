//! Numeric functions.

use super::{FnResult, arity, arity_range, deep_unknown, num_arg, str_arg};
use crate::ir::Value;

fn unary(name: &str, args: &[Value], f: impl FnOnce(f64) -> f64) -> FnResult {
    arity(name, args, 1)?;
    if let Some(u) = deep_unknown(name, args) {
        return Ok(u);
    }
    Ok(Value::number(f(num_arg(name, args, 0)?)))
}

pub fn abs(args: Vec<Value>) -> FnResult {
    unary("abs", &args, f64::abs)
}

pub fn ceil(args: Vec<Value>) -> FnResult {
    unary("ceil", &args, f64::ceil)
}

pub fn floor(args: Vec<Value>) -> FnResult {
    unary("floor", &args, f64::floor)
}

pub fn signum(args: Vec<Value>) -> FnResult {
    unary("signum", &args, |x| {
        if x > 0.0 {
            1.0
        } else if x < 0.0 {
            -1.0
        } else {
            0.0
        }
    })
}

pub fn pow(args: Vec<Value>) -> FnResult {
    arity("pow", &args, 2)?;
    if let Some(u) = deep_unknown("pow", &args) {
        return Ok(u);
    }
    Ok(Value::number(
        num_arg("pow", &args, 0)?.powf(num_arg("pow", &args, 1)?),
    ))
}

pub fn log(args: Vec<Value>) -> FnResult {
    arity("log", &args, 2)?;
    if let Some(u) = deep_unknown("log", &args) {
        return Ok(u);
    }
    let x = num_arg("log", &args, 0)?;
    let base = num_arg("log", &args, 1)?;
    Ok(Value::number(x.ln() / base.ln()))
}

fn extreme(name: &str, args: Vec<Value>, pick_greater: bool) -> FnResult {
    arity_range(name, &args, 1, None)?;
    if let Some(u) = deep_unknown(name, &args) {
        return Ok(u);
    }
    let mut best = num_arg(name, &args, 0)?;
    for i in 1..args.len() {
        let x = num_arg(name, &args, i)?;
        if (pick_greater && x > best) || (!pick_greater && x < best) {
            best = x;
        }
    }
    Ok(Value::number(best))
}

pub fn max(args: Vec<Value>) -> FnResult {
    extreme("max", args, true)
}

pub fn min(args: Vec<Value>) -> FnResult {
    extreme("min", args, false)
}

/// `parseint(string, base)`, base 2 to 62 (digits, then lower-case, then upper-case letters
/// above base 36).
pub fn parseint(args: Vec<Value>) -> FnResult {
    arity("parseint", &args, 2)?;
    if let Some(u) = deep_unknown("parseint", &args) {
        return Ok(u);
    }
    let s = str_arg("parseint", &args, 0)?;
    let base = num_arg("parseint", &args, 1)?;
    if base.fract() != 0.0 || !(2.0..=62.0).contains(&base) {
        return Err(format!(
            "invalid value for argument 2 of parseint(): base must be a whole number between 2 and 62 inclusive, got {base}"
        ));
    }
    let base = base as u32;
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(&s)),
    };
    if digits.is_empty() {
        return Err(format!(
            "parseint(): cannot parse {s:?} as a base {base} integer"
        ));
    }
    let mut n: f64 = 0.0;
    for c in digits.chars() {
        let d = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 10,
            'A'..='Z' if base <= 36 => c as u32 - 'A' as u32 + 10,
            'A'..='Z' => c as u32 - 'A' as u32 + 36,
            _ => u32::MAX,
        };
        if d >= base {
            return Err(format!(
                "parseint(): cannot parse {s:?} as a base {base} integer"
            ));
        }
        n = n * f64::from(base) + f64::from(d);
    }
    Ok(Value::number(if neg { -n } else { n }))
}
