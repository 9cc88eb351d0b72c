//! String functions.

use super::regex::{Regex, RegexError};
use super::{
    FnResult, arity, deep_unknown, graphemes, int_arg, list_arg, primitive_string, str_arg,
};
use crate::ir::Value;

/// Checks arity and Unknowns, then applies `f` to the string arguments.
fn with_strs(name: &str, args: &[Value], n: usize, f: impl FnOnce(&[String]) -> Value) -> FnResult {
    arity(name, args, n)?;
    if let Some(u) = deep_unknown(name, args) {
        return Ok(u);
    }
    let strs: Vec<String> = (0..n)
        .map(|i| str_arg(name, args, i))
        .collect::<Result<_, _>>()?;
    Ok(f(&strs))
}

pub fn lower(args: Vec<Value>) -> FnResult {
    with_strs("lower", &args, 1, |s| Value::string(s[0].to_lowercase()))
}

pub fn upper(args: Vec<Value>) -> FnResult {
    with_strs("upper", &args, 1, |s| Value::string(s[0].to_uppercase()))
}

/// Go's `strings.Title`: the first letter of every word is upper-cased; words are separated
/// by anything but letters, digits, underscores and marks.
pub fn title(args: Vec<Value>) -> FnResult {
    with_strs("title", &args, 1, |s| {
        let mut out = String::with_capacity(s[0].len());
        let mut prev_sep = true;
        for c in s[0].chars() {
            if prev_sep {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
            prev_sep = !(c.is_alphanumeric() || c == '_');
        }
        Value::string(out)
    })
}

pub fn trimspace(args: Vec<Value>) -> FnResult {
    with_strs("trimspace", &args, 1, |s| Value::string(s[0].trim()))
}

pub fn trim(args: Vec<Value>) -> FnResult {
    with_strs("trim", &args, 2, |s| {
        let cut: Vec<char> = s[1].chars().collect();
        Value::string(s[0].trim_matches(|c| cut.contains(&c)))
    })
}

pub fn trimprefix(args: Vec<Value>) -> FnResult {
    with_strs("trimprefix", &args, 2, |s| {
        Value::string(s[0].strip_prefix(s[1].as_str()).unwrap_or(&s[0]))
    })
}

pub fn trimsuffix(args: Vec<Value>) -> FnResult {
    with_strs("trimsuffix", &args, 2, |s| {
        Value::string(s[0].strip_suffix(s[1].as_str()).unwrap_or(&s[0]))
    })
}

pub fn chomp(args: Vec<Value>) -> FnResult {
    with_strs("chomp", &args, 1, |s| {
        Value::string(s[0].trim_end_matches(['\n', '\r']))
    })
}

pub fn strrev(args: Vec<Value>) -> FnResult {
    with_strs("strrev", &args, 1, |s| {
        Value::string(graphemes(&s[0]).into_iter().rev().collect::<String>())
    })
}

pub fn startswith(args: Vec<Value>) -> FnResult {
    with_strs("startswith", &args, 2, |s| {
        Value::bool(s[0].starts_with(&s[1]))
    })
}

pub fn endswith(args: Vec<Value>) -> FnResult {
    with_strs("endswith", &args, 2, |s| Value::bool(s[0].ends_with(&s[1])))
}

pub fn strcontains(args: Vec<Value>) -> FnResult {
    with_strs("strcontains", &args, 2, |s| {
        Value::bool(s[0].contains(&s[1]))
    })
}

/// Adds `spaces` spaces to the start of every line but the first.
pub fn indent(args: Vec<Value>) -> FnResult {
    arity("indent", &args, 2)?;
    if let Some(u) = deep_unknown("indent", &args) {
        return Ok(u);
    }
    let n = int_arg("indent", &args, 0)?;
    let s = str_arg("indent", &args, 1)?;
    if n > 10_000 {
        return Ok(Value::unknown(
            "indent() by more than 10000 spaces is not evaluated",
        ));
    }
    let pad = " ".repeat(n.max(0) as usize);
    Ok(Value::string(s.replace('\n', &format!("\n{pad}"))))
}

pub fn join(args: Vec<Value>) -> FnResult {
    if args.len() < 2 {
        return Err(format!(
            "join() takes at least 2 arguments, {} given",
            args.len()
        ));
    }
    if let Some(u) = deep_unknown("join", &args) {
        return Ok(u);
    }
    let sep = str_arg("join", &args, 0)?;
    let mut parts = Vec::new();
    for i in 1..args.len() {
        let items = list_arg("join", &args, i)?;
        for (j, item) in items.iter().enumerate() {
            if item.is_null() {
                return Err(format!(
                    "invalid value for argument {} of join(): element {j} is null",
                    i + 1
                ));
            }
            parts.push(primitive_string(item).ok_or_else(|| {
                format!(
                    "invalid value for argument {} of join(): list of strings required",
                    i + 1
                )
            })?);
        }
    }
    Ok(Value::string(parts.join(&sep)))
}

/// Go's `strings.Split`: an empty separator splits into characters.
pub fn split(args: Vec<Value>) -> FnResult {
    with_strs("split", &args, 2, |s| {
        let (sep, text) = (&s[0], &s[1]);
        let parts: Vec<Value> = if sep.is_empty() {
            text.chars().map(|c| Value::string(c.to_string())).collect()
        } else {
            text.split(sep.as_str()).map(Value::string).collect()
        };
        Value::list(parts)
    })
}

/// `replace(string, substring, replacement)`; a substring written `/…/` is a regular
/// expression, and the replacement may refer to its groups (`$1`, `${name}`).
pub fn replace(args: Vec<Value>) -> FnResult {
    arity("replace", &args, 3)?;
    if let Some(u) = deep_unknown("replace", &args) {
        return Ok(u);
    }
    let s = str_arg("replace", &args, 0)?;
    let sub = str_arg("replace", &args, 1)?;
    let rep = str_arg("replace", &args, 2)?;
    if sub.len() > 1 && sub.starts_with('/') && sub.ends_with('/') {
        let re = match compile("replace", &sub[1..sub.len() - 1]) {
            Ok(re) => re,
            Err(result) => return result,
        };
        return match re.replace_all(&s, &rep) {
            Ok(out) => Ok(Value::string(out)),
            Err(e) => regex_failure("replace", e),
        };
    }
    if sub.is_empty() {
        // Go inserts the replacement around every character.
        let mut out = String::new();
        for c in s.chars() {
            out.push_str(&rep);
            out.push(c);
        }
        out.push_str(&rep);
        return Ok(Value::string(out));
    }
    Ok(Value::string(s.replace(&sub, &rep)))
}

/// An unsupported pattern is Unknown; an invalid one is an error, as in Terraform.
fn regex_failure(name: &str, e: RegexError) -> FnResult {
    match e {
        RegexError::Invalid(m) => Err(format!("{name}(): invalid regular expression: {m}")),
        RegexError::Unsupported(m) => Ok(Value::unknown(format!(
            "{name}(): {m} in regular expressions are not evaluated by infralint"
        ))),
    }
}

fn compile(name: &str, pattern: &str) -> Result<Regex, FnResult> {
    Regex::new(pattern).map_err(|e| regex_failure(name, e))
}

/// One match in `regex` form: the whole match without groups, a list of groups, or a map
/// of named groups.
fn match_value(name: &str, re: &Regex, text: &str, groups: &[Option<(usize, usize)>]) -> FnResult {
    let group = |g: &Option<(usize, usize)>| match g {
        Some((s, e)) => Value::string(&text[*s..*e]),
        None => Value::null(),
    };
    let named = re.names.iter().filter(|n| n.is_some()).count();
    if re.group_count() == 0 {
        return Ok(group(&groups[0]));
    }
    if named == 0 {
        return Ok(Value::list(groups[1..].iter().map(group).collect()));
    }
    if named != re.group_count() {
        return Err(format!(
            "{name}(): invalid regular expression: named and unnamed capture groups cannot be mixed"
        ));
    }
    Ok(Value::map(
        re.names
            .iter()
            .zip(&groups[1..])
            .map(|(n, g)| (n.clone().unwrap_or_default(), group(g)))
            .collect(),
    ))
}

/// `regex(pattern, string)` and `regexall(pattern, string)`.
pub fn regex(name: &str, args: Vec<Value>) -> FnResult {
    arity(name, &args, 2)?;
    if let Some(u) = deep_unknown(name, &args) {
        return Ok(u);
    }
    let pattern = str_arg(name, &args, 0)?;
    let text = str_arg(name, &args, 1)?;
    let re = match compile(name, &pattern) {
        Ok(re) => re,
        Err(result) => return result,
    };
    let all = name == "regexall";
    let matches = match re.find_all(&text, if all { None } else { Some(1) }) {
        Ok(m) => m,
        Err(e) => return regex_failure(name, e),
    };
    if all {
        let items = matches
            .iter()
            .map(|g| match_value(name, &re, &text, g))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Value::list(items));
    }
    match matches.first() {
        Some(g) => match_value(name, &re, &text, g),
        None => Err(format!(
            "{name}(): pattern did not match any part of the given string"
        )),
    }
}

/// `substr(string, offset, length)` in characters; a negative offset counts from the end,
/// length -1 means "to the end".
pub fn substr(args: Vec<Value>) -> FnResult {
    arity("substr", &args, 3)?;
    if let Some(u) = deep_unknown("substr", &args) {
        return Ok(u);
    }
    let s = str_arg("substr", &args, 0)?;
    let mut offset = int_arg("substr", &args, 1)?;
    let length = int_arg("substr", &args, 2)?;
    let chars = graphemes(&s);
    let n = chars.len() as i64;
    if offset < 0 {
        offset += n;
        if offset < 0 {
            offset = 0;
        }
    }
    if offset >= n {
        return Ok(Value::string(""));
    }
    let end = if length < 0 {
        n
    } else {
        offset.saturating_add(length).min(n)
    };
    Ok(Value::string(
        chars[offset as usize..end.max(offset) as usize].concat(),
    ))
}
