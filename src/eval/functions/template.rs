//! `templatefile`: the template subset that needs no expression evaluator. Interpolations
//! of variables (`${name}`, `${name.attr}`, `${name["key"]}`, `${name[0]}`), the escapes
//! `$${` and `%%{`, and strip markers `~` are evaluated; directives (`%{if}`, `%{for}`) and
//! other expressions (function calls, operators) make the result Unknown.

use indexmap::IndexMap;

use super::{FnResult, primitive_string};
use crate::ir::{Value, ValueKind};

enum Part {
    Text(String),
    Interp(String),
}

/// Splits a template into literal text and interpolation sources; Err(reason) for what is
/// not evaluated.
fn split_template(src: &str) -> Result<Vec<Part>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if (c == '$' || c == '%') && next == Some(c) && chars.get(i + 2) == Some(&'{') {
            text.push(c);
            text.push('{');
            i += 3;
            continue;
        }
        if c == '%' && next == Some('{') {
            return Err("template directives (%{…}) are not evaluated".into());
        }
        if c == '$' && next == Some('{') {
            // Find the closing brace, skipping quoted strings.
            let mut j = i + 2;
            let mut depth = 0;
            let mut in_str = false;
            while j < chars.len() {
                let d = chars[j];
                if in_str {
                    if d == '\\' {
                        j += 1;
                    } else if d == '"' {
                        in_str = false;
                    }
                } else if d == '"' {
                    in_str = true;
                } else if d == '{' {
                    depth += 1;
                } else if d == '}' {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                j += 1;
            }
            if j >= chars.len() {
                return Err("unterminated template interpolation".into());
            }
            let mut expr: String = chars[i + 2..j].iter().collect();
            if let Some(rest) = expr.strip_prefix('~') {
                expr = rest.to_string();
                let trimmed = text.trim_end().len();
                text.truncate(trimmed);
            }
            let strip_after = expr.ends_with('~');
            if strip_after {
                expr.pop();
            }
            parts.push(Part::Text(std::mem::take(&mut text)));
            parts.push(Part::Interp(expr.trim().to_string()));
            i = j + 1;
            if strip_after {
                while i < chars.len() && chars[i].is_whitespace() {
                    i += 1;
                }
            }
            continue;
        }
        text.push(c);
        i += 1;
    }
    parts.push(Part::Text(text));
    Ok(parts)
}

fn is_ident(s: &str) -> bool {
    let mut cs = s.chars();
    cs.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && cs.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// Evaluates a traversal (`a.b["c"][0]`) against the variables; Err(reason) otherwise.
fn traverse<'a>(expr: &str, vars: &'a IndexMap<String, Value>) -> Result<&'a Value, String> {
    let not_evaluated = || format!("template expression `{expr}` is not evaluated");
    let end = expr.find(['.', '[']).unwrap_or(expr.len());
    let root = &expr[..end];
    if !is_ident(root) {
        return Err(not_evaluated());
    }
    let mut cur = vars
        .get(root)
        .ok_or_else(|| format!("vars has no attribute {root:?}"))?;
    let mut rest = &expr[end..];
    while !rest.is_empty() {
        if cur.is_unknown() {
            return Ok(cur);
        }
        let key: String;
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            key = r[..end].to_string();
            if !is_ident(&key) && key.parse::<usize>().is_err() {
                return Err(not_evaluated());
            }
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let close = r.find(']').ok_or_else(not_evaluated)?;
            let inner = r[..close].trim();
            key = if let Some(q) = inner.strip_prefix('"').and_then(|q| q.strip_suffix('"')) {
                if q.contains(['"', '\\', '$']) {
                    return Err(not_evaluated());
                }
                q.to_string()
            } else if inner.parse::<usize>().is_ok() {
                inner.to_string()
            } else {
                return Err(not_evaluated());
            };
            rest = &r[close + 1..];
        } else {
            return Err(not_evaluated());
        }
        cur = match &cur.kind {
            ValueKind::Map(m) => m
                .get(&key)
                .ok_or_else(|| format!("template: no attribute {key:?}"))?,
            ValueKind::List(items) => key
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i))
                .ok_or_else(|| format!("template: invalid index {key:?}"))?,
            _ => return Err(format!("template: cannot index into `{expr}`")),
        };
    }
    Ok(cur)
}

/// Renders `src` with `vars`. `Ok(Err(reason))` when the result cannot be known statically.
pub fn render(src: &str, vars: &IndexMap<String, Value>) -> Result<Result<Value, String>, String> {
    let parts = match split_template(src) {
        Ok(p) => p,
        Err(reason) => return Ok(Err(reason)),
    };
    // A template that is exactly one interpolation yields the value itself.
    if let [Part::Text(a), Part::Interp(e), Part::Text(b)] = parts.as_slice()
        && a.is_empty()
        && b.is_empty()
    {
        return Ok(match traverse(e, vars) {
            Ok(v) => match v.as_unknown() {
                Some(u) => Err(u.reason.clone()),
                None => Ok(v.clone()),
            },
            Err(reason) if reason.contains("not evaluated") => Err(reason),
            Err(e) => return Err(format!("templatefile(): {e}")),
        });
    }
    let mut out = String::new();
    for part in parts {
        match part {
            Part::Text(t) => out.push_str(&t),
            Part::Interp(e) => {
                let v = match traverse(&e, vars) {
                    Ok(v) => v,
                    Err(reason) if reason.contains("not evaluated") => return Ok(Err(reason)),
                    Err(e) => return Err(format!("templatefile(): {e}")),
                };
                if let Some(u) = v.as_unknown() {
                    return Ok(Err(format!("`{e}` is unknown: {}", u.reason)));
                }
                if v.is_null() {
                    return Err(format!("templatefile(): `{e}` is null"));
                }
                match primitive_string(v) {
                    Some(s) => out.push_str(&s),
                    None => {
                        return Err(format!(
                            "templatefile(): `{e}` is a collection and cannot be interpolated"
                        ));
                    }
                }
            }
        }
    }
    Ok(Ok(Value::string(out)))
}

/// Helper for the dispatcher: the Unknown or value result of rendering.
pub fn to_result(name: &str, r: Result<Result<Value, String>, String>) -> FnResult {
    match r? {
        Ok(v) => Ok(v),
        Err(reason) => Ok(Value::unknown(format!("{name}(): {reason}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_templates_do_not_panic() {
        let mut vars = IndexMap::new();
        vars.insert("a".to_string(), Value::list(vec![Value::string("x")]));
        vars.insert("é".to_string(), Value::string("y"));
        for src in [
            "",
            "${",
            "${}",
            "${~}",
            "${~~}",
            "${ ~ }",
            "${a[}",
            "${a[\"x]}",
            "$${",
            "%{",
            "%%{",
            "${a.}",
            "${a..b}",
            "${\"}\"}",
            "${a[0]}",
            "${a[0].b}",
            "${a[9]}",
            "${é}",
            "${a[\"\\\"\"]}",
            "$",
            "%",
            "}${a[0]}{",
            "${{}}",
            "${a[-1]}",
        ] {
            let _ = render(src, &vars);
        }
        assert_eq!(
            render("${a[0]}${é}", &vars).unwrap().unwrap().as_str(),
            Some("xy")
        );
    }
}
