//! `format` and `formatlist`: Go `fmt`-style verbs as Terraform supports them.

use super::encoding::json_encode_value;
use super::{
    FnResult, arity_range, deep_unknown, find_unknown, num_to_string, parse_number,
    primitive_string, shallow_unknown, str_arg, unknown_arg,
};
use crate::ir::{Value, ValueKind};

pub fn format(args: Vec<Value>) -> FnResult {
    arity_range("format", &args, 1, None)?;
    if let Some(u) = deep_unknown("format", &args) {
        return Ok(u);
    }
    let spec = str_arg("format", &args, 0)?;
    format_str(&spec, &args[1..]).map(Value::string)
}

pub fn formatlist(args: Vec<Value>) -> FnResult {
    arity_range("formatlist", &args, 1, None)?;
    if let Some(u) = shallow_unknown("formatlist", &args) {
        return Ok(u);
    }
    if let Some(u) = find_unknown(&args[0]) {
        return Ok(unknown_arg("formatlist", 0, u));
    }
    let spec = str_arg("formatlist", &args, 0)?;
    let mut len: Option<usize> = None;
    for (i, a) in args.iter().enumerate().skip(1) {
        if let ValueKind::List(items) = &a.kind {
            match len {
                None => len = Some(items.len()),
                Some(n) if n != items.len() => {
                    return Err(format!(
                        "formatlist(): argument {} has length {}, which does not match length {n} of an earlier list",
                        i + 1,
                        items.len()
                    ));
                }
                _ => {}
            }
        }
    }
    let n = len.unwrap_or(1);
    let mut out = Vec::with_capacity(n);
    for row in 0..n {
        let row_args: Vec<Value> = args[1..]
            .iter()
            .map(|a| match &a.kind {
                ValueKind::List(items) => items[row].clone(),
                _ => a.clone(),
            })
            .collect();
        match row_args.iter().find_map(find_unknown) {
            Some(u) => out.push(Value::unknown(format!(
                "an argument of formatlist() is unknown: {}",
                u.reason
            ))),
            None => out.push(Value::string(format_str(&spec, &row_args)?)),
        }
    }
    Ok(Value::list(out))
}

/// Largest width or precision accepted (larger ones would only allocate).
const MAX_WIDTH: usize = 10_000;

#[derive(Default)]
struct Spec {
    minus: bool,
    plus: bool,
    sharp: bool,
    zero: bool,
    space: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

/// Formats `args` by the format string `fmt`.
pub(crate) fn format_str(fmt: &str, args: &[Value]) -> Result<String, String> {
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut next_arg = 0usize;
    let mut explicit_index = false;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '%' {
            out.push(c);
            continue;
        }
        if i >= chars.len() {
            return Err("format(): format string ends with an unterminated verb".into());
        }
        if chars[i] == '%' {
            out.push('%');
            i += 1;
            continue;
        }
        let mut spec = Spec::default();
        while i < chars.len() {
            match chars[i] {
                '-' => spec.minus = true,
                '+' => spec.plus = true,
                '#' => spec.sharp = true,
                '0' => spec.zero = true,
                ' ' => spec.space = true,
                _ => break,
            }
            i += 1;
        }
        let mut parse_index = |i: &mut usize, next_arg: &mut usize| -> Result<(), String> {
            if *i < chars.len() && chars[*i] == '[' {
                let close = chars[*i..]
                    .iter()
                    .position(|&c| c == ']')
                    .ok_or("format(): unterminated argument index")?;
                let n: String = chars[*i + 1..*i + close].iter().collect();
                let n: usize = n
                    .parse()
                    .map_err(|_| format!("format(): invalid argument index {n:?}"))?;
                if n == 0 {
                    return Err("format(): argument index must be at least 1".into());
                }
                *next_arg = n - 1;
                *i += close + 1;
                explicit_index = true;
            }
            Ok(())
        };
        parse_index(&mut i, &mut next_arg)?;
        let digits = |i: &mut usize| -> Option<usize> {
            let start = *i;
            while *i < chars.len() && chars[*i].is_ascii_digit() {
                *i += 1;
            }
            (start < *i).then(|| chars[start..*i].iter().collect::<String>().parse().ok())?
        };
        spec.width = digits(&mut i);
        if i < chars.len() && chars[i] == '.' {
            i += 1;
            spec.prec = Some(digits(&mut i).unwrap_or(0));
        }
        if spec.width.unwrap_or(0) > MAX_WIDTH || spec.prec.unwrap_or(0) > MAX_WIDTH {
            return Err(format!(
                "format(): widths and precisions above {MAX_WIDTH} are not supported"
            ));
        }
        parse_index(&mut i, &mut next_arg)?;
        let Some(&verb) = chars.get(i) else {
            return Err("format(): format string ends with an unterminated verb".into());
        };
        i += 1;
        let arg = args.get(next_arg).ok_or_else(|| {
            format!(
                "format(): not enough arguments for %{verb} at position {}",
                next_arg + 1
            )
        })?;
        next_arg += 1;
        out.push_str(&format_one(verb, &spec, arg)?);
    }
    if !explicit_index && next_arg < args.len() {
        return Err(format!(
            "format(): too many arguments; only {next_arg} used by format string"
        ));
    }
    Ok(out)
}

fn format_one(verb: char, spec: &Spec, arg: &Value) -> Result<String, String> {
    let bad = |what: &str| format!("format(): unsupported value for %{verb}: {what} required");
    if arg.is_null() && verb != 'v' {
        return Err(format!(
            "format(): unsupported value for %{verb}: null value"
        ));
    }
    match verb {
        'v' => {
            let s = match &arg.kind {
                ValueKind::Null => "null".to_string(),
                ValueKind::String(s) if !spec.sharp => s.clone(),
                ValueKind::Number(_) | ValueKind::Bool(_) if !spec.sharp => {
                    primitive_string(arg).unwrap_or_default()
                }
                _ => json_encode_value(arg)?,
            };
            Ok(pad(s, spec))
        }
        't' => match &arg.kind {
            ValueKind::Bool(b) => Ok(pad(b.to_string(), spec)),
            ValueKind::String(s) if s == "true" || s == "false" => Ok(pad(s.clone(), spec)),
            _ => Err(bad("bool")),
        },
        's' => {
            let mut s = primitive_string(arg).ok_or_else(|| bad("string"))?;
            if let Some(p) = spec.prec {
                s = s.chars().take(p).collect();
            }
            Ok(pad(s, spec))
        }
        'q' => {
            let s = primitive_string(arg).ok_or_else(|| bad("string"))?;
            Ok(pad(go_quote(&s), spec))
        }
        'd' | 'b' | 'o' | 'x' | 'X' => {
            let n = number_of(arg).ok_or_else(|| bad("number"))?;
            if n.fract() != 0.0 || !n.is_finite() {
                return Err(format!(
                    "format(): unsupported value for %{verb}: {} has no integer representation",
                    num_to_string(n)
                ));
            }
            let neg = n < 0.0;
            let m = n.abs() as u128;
            let mut digits = match verb {
                'd' => m.to_string(),
                'b' => format!("{m:b}"),
                'o' => format!("{m:o}"),
                'x' => format!("{m:x}"),
                _ => format!("{m:X}"),
            };
            if let Some(p) = spec.prec {
                if p == 0 && m == 0 {
                    digits.clear();
                }
                while digits.len() < p {
                    digits.insert(0, '0');
                }
            }
            if spec.sharp {
                let prefix = match verb {
                    'b' => "0b",
                    'o' if !digits.starts_with('0') => "0",
                    'x' => "0x",
                    'X' => "0X",
                    _ => "",
                };
                digits.insert_str(0, prefix);
            }
            Ok(pad_number(neg, digits, spec, spec.prec.is_none()))
        }
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
            let n = number_of(arg).ok_or_else(|| bad("number"))?;
            let neg = n.is_sign_negative() && n != 0.0;
            let x = n.abs();
            let body = if x.is_infinite() {
                "Inf".to_string()
            } else {
                match verb {
                    'e' | 'E' => fmt_e(x, spec.prec.unwrap_or(6)),
                    'f' | 'F' => format!("{:.*}", spec.prec.unwrap_or(6), x),
                    _ => fmt_g(x, spec.prec, spec.sharp),
                }
            };
            let body = if verb.is_ascii_uppercase() {
                body.to_uppercase()
            } else {
                body
            };
            Ok(pad_number(neg, body, spec, !x.is_infinite()))
        }
        _ => Err(format!("format(): unsupported format verb %{verb}")),
    }
}

fn number_of(v: &Value) -> Option<f64> {
    match &v.kind {
        ValueKind::Number(n) => Some(*n),
        ValueKind::String(s) => parse_number(s),
        _ => None,
    }
}

/// Pads to the width: left-justified with `-`, zero-filled with `0`.
fn pad(s: String, spec: &Spec) -> String {
    let Some(w) = spec.width else { return s };
    let n = s.chars().count();
    if n >= w {
        return s;
    }
    let fill = w - n;
    if spec.minus {
        format!("{s}{}", " ".repeat(fill))
    } else if spec.zero {
        format!("{}{s}", "0".repeat(fill))
    } else {
        format!("{}{s}", " ".repeat(fill))
    }
}

fn pad_number(neg: bool, digits: String, spec: &Spec, zero_ok: bool) -> String {
    let sign = if neg {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    };
    let len = sign.len() + digits.chars().count();
    match spec.width {
        Some(w) if w > len && spec.zero && !spec.minus && zero_ok => {
            format!("{sign}{}{digits}", "0".repeat(w - len))
        }
        _ => pad(format!("{sign}{digits}"), spec),
    }
}

/// Significant decimal digits (no trailing zeros) and the decimal exponent of `x >= 0`,
/// rounded to `prec` significant digits, or the shortest round-trip form when `prec` is None.
fn decimal_digits(x: f64, prec: Option<usize>) -> (String, i32) {
    let s = match prec {
        Some(p) => format!("{:.*e}", p.saturating_sub(1), x),
        None => format!("{x:e}"),
    };
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    while digits.len() > 1 && digits.ends_with('0') {
        digits.pop();
    }
    (digits, exp)
}

fn render_e(digits: &str, exp: i32, decimals: usize) -> String {
    let mut d = digits.to_string();
    while d.len() < decimals + 1 {
        d.push('0');
    }
    let (int, frac) = d.split_at(1);
    let sign = if exp < 0 { '-' } else { '+' };
    let dot = if decimals > 0 { "." } else { "" };
    format!("{int}{dot}{}e{sign}{:02}", &frac[..decimals], exp.abs())
}

fn render_f(digits: &str, exp: i32, decimals: usize) -> String {
    let (int, frac) = if exp >= 0 {
        let k = exp as usize + 1;
        let mut d = digits.to_string();
        while d.len() < k {
            d.push('0');
        }
        let (a, b) = d.split_at(k);
        (a.to_string(), b.to_string())
    } else {
        (
            "0".to_string(),
            format!("{}{digits}", "0".repeat((-exp - 1) as usize)),
        )
    };
    let mut frac = frac;
    while frac.len() < decimals {
        frac.push('0');
    }
    frac.truncate(decimals);
    if decimals > 0 {
        format!("{int}.{frac}")
    } else {
        int
    }
}

/// `%e` with `prec` digits after the point; the exponent has at least two digits.
fn fmt_e(x: f64, prec: usize) -> String {
    if x == 0.0 {
        return render_e("0", 0, prec);
    }
    let (digits, exp) = decimal_digits(x, Some(prec + 1));
    render_e(&digits, exp, prec)
}

/// `%g`: `%e` for large or small exponents, `%f` otherwise, without trailing zeros.
fn fmt_g(x: f64, prec: Option<usize>, sharp: bool) -> String {
    let prec = prec.map(|p| p.max(1));
    let (digits, exp) = if x == 0.0 {
        ("0".to_string(), 0)
    } else {
        decimal_digits(x, prec)
    };
    let n = digits.len();
    let mut eprec = prec.unwrap_or(n);
    if eprec > n && n as i32 > exp {
        eprec = n;
    }
    if prec.is_none() {
        eprec = 6;
    }
    let shown = if sharp { prec.unwrap_or(6).max(n) } else { n };
    if exp < -4 || exp >= eprec as i32 {
        render_e(&digits, exp, shown - 1)
    } else {
        render_f(&digits, exp, (shown as i32 - (exp + 1)).max(0) as usize)
    }
}

/// Go's `strconv.Quote`.
fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
