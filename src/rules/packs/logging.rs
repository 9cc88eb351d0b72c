//! Built-in checks of the `logging` pack (logging, backup and runtime hardening). Most of the
//! pack is declarative (`rules/logging/*.toml`); the checks here need what the condition
//! language cannot express: a threshold read from `.infralint.toml`, JSON embedded in a string
//! (ECS `container_definitions`), base64 user data, and secret detection inside free text.

use crate::ir::{Model, Object, Value, ValueKind};
use crate::rules::{BuiltinFn, CheckContext, Verdict};
use crate::source::Span;

/// The checks of this pack, by built-in name.
pub const CHECKS: &[(&str, BuiltinFn)] = &[
    ("log_rds_backup_retention", rds_backup_retention),
    ("log_ecs_privileged", ecs_privileged),
    ("log_ecs_root_user", ecs_root_user),
    ("log_ecs_plaintext_secrets", ecs_plaintext_secrets),
    ("log_hardcoded_aws_keys", hardcoded_aws_keys),
    ("log_hardcoded_passwords", hardcoded_passwords),
    ("log_lambda_log_group_missing", lambda_log_group_missing),
];

/// Default of `[logging] rds_min_backup_retention_days`.
pub const DEFAULT_RDS_MIN_BACKUP_RETENTION_DAYS: i64 = 7;

// ---------------------------------------------------------------------------------------------
// Helpers

fn terraform_objects<'m>(
    model: &'m Model,
    types: &'m [&'m str],
) -> impl Iterator<Item = (usize, &'m Object)> + 'm {
    types.iter().flat_map(move |t| model.of_type(t))
}

/// The first occurrence of `needle` inside `span`'s source text, as a span; `span` itself when
/// the text is not there (e.g. the value was built by `jsonencode` from a variable).
fn narrow(model: &Model, span: Span, needle: &str) -> Span {
    let text = &model.sources.get(span.file).text;
    let (start, end) = (span.start as usize, span.end as usize);
    if needle.is_empty() || end > text.len() || start > end {
        return span;
    }
    match text.get(start..end).and_then(|s| s.find(needle)) {
        Some(off) => Span::new(span.file, start + off, start + off + needle.len()),
        None => span,
    }
}

fn as_number(v: &Value) -> Option<f64> {
    match &v.kind {
        ValueKind::Number(n) => Some(*n),
        ValueKind::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// LOG009: RDS backup retention below the configured minimum

fn min_backup_retention(settings: &toml::Table) -> i64 {
    settings
        .get("logging")
        .and_then(|l| l.get("rds_min_backup_retention_days"))
        .and_then(toml::Value::as_integer)
        .unwrap_or(DEFAULT_RDS_MIN_BACKUP_RETENTION_DAYS)
}

fn rds_backup_retention(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let min = min_backup_retention(ctx.settings);
    let mut out = Vec::new();
    for (i, o) in terraform_objects(ctx.model, &["aws_db_instance", "aws_rds_cluster"]) {
        // Read replicas of an instance take no automated backups of their own by default.
        if o.type_name == "aws_db_instance"
            && o.attr("replicate_source_db").is_some_and(|v| !v.is_null())
        {
            continue;
        }
        match o.attr("backup_retention_period") {
            None => {
                if 1 < min {
                    out.push(Verdict::fail(
                        i,
                        o.span,
                        format!(
                            "{} sets no backup_retention_period: AWS keeps automated backups for 1 day (minimum {min})",
                            o.address
                        ),
                    ));
                }
            }
            Some(v) if v.is_null() => {
                if 1 < min {
                    out.push(Verdict::fail(
                        i,
                        v.span.unwrap_or(o.span),
                        format!(
                            "{} sets backup_retention_period to null: AWS keeps automated backups for 1 day (minimum {min})",
                            o.address
                        ),
                    ));
                }
            }
            Some(v) => {
                if let Some(u) = v.as_unknown() {
                    out.push(Verdict::unknown(
                        i,
                        v.span.unwrap_or(o.span),
                        format!("backup_retention_period is unknown: {}", u.reason),
                    ));
                    continue;
                }
                let Some(days) = as_number(v) else {
                    continue;
                };
                if days < min as f64 {
                    let what = if days == 0.0 {
                        "0 disables automated backups".to_string()
                    } else {
                        format!(
                            "backups are kept for {days} day{}",
                            if days == 1.0 { "" } else { "s" }
                        )
                    };
                    out.push(Verdict::fail(
                        i,
                        v.span.unwrap_or(o.span),
                        format!(
                            "{}: backup_retention_period = {days}: {what} (minimum {min})",
                            o.address
                        ),
                    ));
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// ECS container definitions (LOG019–LOG021, and LOG025 inside them)

/// The parsed `container_definitions` of a task definition, or the verdict to give instead.
enum ContainerDefs {
    Parsed(Vec<serde_json::Value>, Span),
    Unknown(Span, String),
    /// Absent or not a JSON array: nothing to say (Terraform would reject the plan).
    Nothing,
}

fn container_defs(o: &Object) -> ContainerDefs {
    let Some(v) = o.attr("container_definitions") else {
        return ContainerDefs::Nothing;
    };
    let span = v.span.unwrap_or(o.span);
    if let Some(u) = v.as_unknown() {
        // `jsonencode([...])` with computed parts (an image URI from a repository): the known
        // parts decide; the Unknown leaves stay `{"$unknown": reason}` for the rules to see.
        if let Some(serde_json::Value::Array(items)) = u.decoded.as_deref().map(Value::to_json) {
            return ContainerDefs::Parsed(items, span);
        }
        return ContainerDefs::Unknown(
            span,
            format!("container_definitions is unknown: {}", u.reason),
        );
    }
    let Some(text) = v.as_str() else {
        return ContainerDefs::Nothing;
    };
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Array(items)) => ContainerDefs::Parsed(items, span),
        _ => ContainerDefs::Nothing,
    }
}

/// The reason of an Unknown leaf of a partly known container definition
/// (`{"$unknown": reason}`, see [`Value::to_json`]).
fn unknown_reason(v: &serde_json::Value) -> Option<&str> {
    let m = v.as_object()?;
    if m.len() != 1 {
        return None;
    }
    m.get("$unknown")?.as_str()
}

/// An Unknown verdict for the container key `key` when its value is an Unknown leaf.
fn unknown_key(
    i: usize,
    o: &Object,
    span: Span,
    c: &serde_json::Value,
    key: &str,
) -> Option<Verdict> {
    let reason = unknown_reason(c.get(key)?)?;
    Some(Verdict::unknown(
        i,
        span,
        format!(
            "{}: `{key}` of container `{}` is unknown: {reason}",
            o.address,
            container_name(c)
        ),
    ))
}

fn container_name(c: &serde_json::Value) -> String {
    c.get("name")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("?")
        .to_string()
}

/// Whether an Unknown `container_definitions` is still decided by its source text: it is
/// written inline (`jsonencode([...])`, `jsonencode({...})` or a heredoc), spreads no other
/// object into a container (`merge(`), and none of `keys` appears in it. Unknown values
/// inside (an image URI built from the account ID) then cannot add the keys a rule looks for.
fn inline_without(model: &Model, span: Span, keys: &[&str]) -> bool {
    let text = &model.sources.get(span.file).text;
    let Some(src) = text.get(span.start as usize..span.end as usize) else {
        return false;
    };
    let compact: String = src.chars().filter(|c| !c.is_whitespace()).collect();
    let inline = compact.starts_with("jsonencode([")
        || compact.starts_with("jsonencode({")
        || compact.starts_with("<<");
    inline && !compact.contains("merge(") && !keys.iter().any(|k| src.contains(k))
}

/// Runs `per_container` on every container of every task definition; Unknown definitions
/// give one Unknown verdict each, unless their source text shows none of `keys`.
fn each_container(
    ctx: &CheckContext<'_>,
    keys: &[&str],
    mut per_container: impl FnMut(usize, &Object, Span, &serde_json::Value, &mut Vec<Verdict>),
) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (i, o) in ctx.model.of_type("aws_ecs_task_definition") {
        match container_defs(o) {
            ContainerDefs::Parsed(items, span) => {
                for c in &items {
                    match unknown_reason(c) {
                        Some(reason) => out.push(Verdict::unknown(
                            i,
                            span,
                            format!("{}: a container definition is unknown: {reason}", o.address),
                        )),
                        None => per_container(i, o, span, c, &mut out),
                    }
                }
            }
            ContainerDefs::Unknown(span, reason) => {
                if !inline_without(ctx.model, span, keys) {
                    out.push(Verdict::unknown(i, span, reason));
                }
            }
            ContainerDefs::Nothing => {}
        }
    }
    out
}

fn ecs_privileged(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    each_container(ctx, &["privileged"], |i, o, span, c, out| {
        if let Some(v) = unknown_key(i, o, span, c, "privileged") {
            out.push(v);
        } else if c.get("privileged") == Some(&serde_json::Value::Bool(true)) {
            out.push(Verdict::fail(
                i,
                narrow(ctx.model, span, "privileged"),
                format!(
                    "{}: container `{}` runs privileged (root on the host's devices)",
                    o.address,
                    container_name(c)
                ),
            ));
        }
    })
}

/// Whether a container `user` (`user`, `uid`, `user:group`, `uid:gid`) is root.
fn is_root_user(user: &str) -> bool {
    let who = user.split(':').next().unwrap_or("").trim();
    who == "root" || who == "0"
}

fn ecs_root_user(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    each_container(ctx, &["user"], |i, o, span, c, out| {
        if let Some(v) = unknown_key(i, o, span, c, "user") {
            out.push(v);
        } else if let Some(user) = c.get("user").and_then(serde_json::Value::as_str) {
            if is_root_user(user) {
                out.push(Verdict::fail(
                    i,
                    narrow(ctx.model, span, "\"user\""),
                    format!(
                        "{}: container `{}` runs as user `{user}` (root)",
                        o.address,
                        container_name(c)
                    ),
                ));
            }
        }
    })
}

/// Whether an environment variable name says it holds a secret (`DB_PASSWORD`, `API_KEY`,
/// `GITHUB_TOKEN`), excluding names that hold a pointer to one (`SECRET_ARN`, `TOKEN_URL`).
pub fn is_secret_name(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    const MARKERS: &[&str] = &[
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "TOKEN",
        "API_KEY",
        "APIKEY",
        "PRIVATE_KEY",
        "ACCESS_KEY",
        "CREDENTIAL",
    ];
    const POINTERS: &[&str] = &[
        "_ARN",
        "_NAME",
        "_ID",
        "_URL",
        "_URI",
        "_FILE",
        "_PATH",
        "_HEADER",
        "_ENDPOINT",
        "_TTL",
        "_EXPIRY",
        "_LENGTH",
        "_SECONDS",
        "_REGION",
        "_TYPE",
        "_ENABLED",
        "_PARAM",
    ];
    MARKERS.iter().any(|m| n.contains(m)) && !POINTERS.iter().any(|p| n.ends_with(p))
}

/// A value that is a real literal rather than a placeholder for something injected later.
fn is_literal_secret_value(v: &str) -> bool {
    let v = v.trim();
    !v.is_empty()
        && !v.starts_with("${")
        && !v.starts_with("{{")
        && !v.starts_with("arn:aws")
        && !v.starts_with("ssm:")
        && !v.starts_with("resolve:")
}

fn ecs_plaintext_secrets(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    each_container(ctx, &["environment"], |i, o, span, c, out| {
        if let Some(v) = unknown_key(i, o, span, c, "environment") {
            out.push(v);
            return;
        }
        let Some(env) = c.get("environment").and_then(serde_json::Value::as_array) else {
            return;
        };
        for e in env {
            let name = e.get("name").and_then(serde_json::Value::as_str);
            // A secret-named variable whose value is computed: a literal or not, undecided.
            let name_unknown = e.get("name").and_then(unknown_reason);
            let value_unknown = e.get("value").and_then(unknown_reason);
            if let Some(reason) =
                name_unknown.or(value_unknown.filter(|_| name.is_some_and(is_secret_name)))
            {
                out.push(Verdict::unknown(
                    i,
                    span,
                    format!(
                        "{}: an environment variable of container `{}` is unknown: {reason}",
                        o.address,
                        container_name(c)
                    ),
                ));
                continue;
            }
            let (Some(name), Some(value)) =
                (name, e.get("value").and_then(serde_json::Value::as_str))
            else {
                continue;
            };
            // AWS keys are LOG025's (critical) finding.
            if !is_secret_name(name) || !is_literal_secret_value(value) || aws_key_in(name, value) {
                continue;
            }
            out.push(Verdict::fail(
                i,
                narrow(ctx.model, span, name),
                format!(
                    "{}: container `{}` sets secret `{name}` in plain `environment`; use `secrets` with `valueFrom`",
                    o.address,
                    container_name(c)
                ),
            ));
        }
    })
}

// ---------------------------------------------------------------------------------------------
// LOG025 / LOG026: hard-coded AWS keys and passwords

/// An AWS access key ID (`AKIA` + 16 uppercase letters or digits) in `text`, skipping AWS's
/// documentation examples (`...EXAMPLE`).
pub fn find_access_key_id(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(off) = text[from..].find("AKIA") {
        let start = from + off;
        let end = start + 20;
        let word_start = start == 0 || !b[start - 1].is_ascii_alphanumeric();
        if end <= b.len()
            && word_start
            && b[start + 4..end]
                .iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && (end == b.len() || !b[end].is_ascii_alphanumeric())
        {
            let key = &text[start..end];
            if !key.ends_with("EXAMPLE") {
                return Some(key);
            }
        }
        from = start + 4;
    }
    None
}

fn is_secret_key_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'/' || c == b'+'
}

/// An `aws_secret_access_key = <40 chars>` assignment (any case, `=` or `:`, optional quotes),
/// returning the matched name.
pub fn find_secret_access_key(text: &str) -> Option<&str> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(off) = lower[from..].find("aws_secret_access_key") {
        let start = from + off;
        let name_end = start + "aws_secret_access_key".len();
        let rest = &text.as_bytes()[name_end..];
        let mut j = 0;
        while j < rest.len() && matches!(rest[j], b' ' | b'\t' | b'"' | b'\'') {
            j += 1;
        }
        if j < rest.len() && matches!(rest[j], b'=' | b':') {
            j += 1;
            while j < rest.len() && matches!(rest[j], b' ' | b'\t' | b'"' | b'\'') {
                j += 1;
            }
            let n = rest[j..]
                .iter()
                .take_while(|c| is_secret_key_char(**c))
                .count();
            if n == 40 {
                return Some(&text[start..name_end]);
            }
        }
        from = name_end;
    }
    None
}

/// Whether an environment entry `name = value` holds an AWS key.
fn aws_key_in(name: &str, value: &str) -> bool {
    find_access_key_id(value).is_some()
        || (name.eq_ignore_ascii_case("AWS_SECRET_ACCESS_KEY")
            && value.len() == 40
            && value.bytes().all(is_secret_key_char))
        || find_secret_access_key(value).is_some()
}

/// Decodes standard base64 (padding optional, whitespace ignored); None when it is not.
fn base64_decode(s: &str) -> Option<String> {
    let mut bits: u32 = 0;
    let mut nbits = 0;
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' | b' ' | b'\n' | b'\r' | b'\t' => continue,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A password-like assignment in free text (`DB_PASSWORD=hunter2`, `password: "s3cret"`,
/// `--password hunter2`): the matched assignment, for the message. Values that are shell or
/// template expansions (`$DB_PASSWORD`, `${...}`, `{{...}}`) are not literals.
pub fn find_password_assignment(text: &str) -> Option<String> {
    for line in text.lines() {
        let lower = line.to_ascii_lowercase();
        for key in ["password", "passwd"] {
            let mut from = 0;
            while let Some(off) = lower[from..].find(key) {
                let start = from + off;
                let after = start + key.len();
                from = after;
                // The whole identifier around the marker (DB_PASSWORD, --password).
                let ident_end = after
                    + lower[after..]
                        .bytes()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
                        .count();
                let ident_start = start
                    - lower[..start]
                        .bytes()
                        .rev()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
                        .count();
                let ident = &line[ident_start..ident_end];
                if !is_secret_name(ident) {
                    continue;
                }
                let rest = &line[ident_end..];
                let trimmed = rest.trim_start_matches([' ', '\t', '"', '\'']);
                let value = if let Some(v) = trimmed
                    .strip_prefix('=')
                    .or_else(|| trimmed.strip_prefix(':'))
                {
                    v
                } else if line[..ident_start].ends_with("--") && rest.starts_with(' ') {
                    rest
                } else {
                    continue;
                };
                let value = value.trim_start_matches([' ', '\t', '"', '\'']);
                let literal: String = value
                    .chars()
                    .take_while(|c| !c.is_whitespace() && *c != '"' && *c != '\'' && *c != ';')
                    .collect();
                if literal.len() >= 4
                    && !literal.starts_with('$')
                    && !literal.starts_with('<')
                    && !literal.starts_with('%')
                    && is_literal_secret_value(&literal)
                {
                    return Some(ident.to_string());
                }
            }
        }
    }
    None
}

/// The user data of an instance or launch template/configuration, decoded, with its span;
/// Err(verdict) when it is Unknown.
fn user_data(i: usize, o: &Object) -> Result<Option<(String, Span)>, Verdict> {
    for key in ["user_data", "user_data_base64"] {
        let Some(v) = o.attr(key) else { continue };
        let span = v.span.unwrap_or(o.span);
        if let Some(u) = v.as_unknown() {
            return Err(Verdict::unknown(
                i,
                span,
                format!("{key} is unknown: {}", u.reason),
            ));
        }
        let Some(text) = v.as_str() else { continue };
        // Launch templates take base64 user data; `user_data_base64` always is.
        let base64 = key == "user_data_base64" || o.type_name == "aws_launch_template";
        let decoded = if base64 {
            base64_decode(text).unwrap_or_else(|| text.to_string())
        } else {
            text.to_string()
        };
        return Ok(Some((decoded, span)));
    }
    Ok(None)
}

const USER_DATA_TYPES: &[&str] = &[
    "aws_instance",
    "aws_launch_template",
    "aws_launch_configuration",
];

/// The known string entries of a Lambda function's `environment.variables`.
fn lambda_env(o: &Object) -> Vec<(&str, &str, Option<Span>)> {
    o.attr_path("environment.0.variables")
        .and_then(Value::as_map)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.as_str(), s, v.span)))
                .collect()
        })
        .unwrap_or_default()
}

fn hardcoded_aws_keys(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (i, o) in terraform_objects(ctx.model, USER_DATA_TYPES) {
        match user_data(i, o) {
            Err(v) => out.push(v),
            Ok(Some((text, span))) => {
                let found = find_access_key_id(&text)
                    .map(|k| (k.to_string(), "access key ID"))
                    .or_else(|| {
                        find_secret_access_key(&text).map(|k| (k.to_string(), "secret access key"))
                    });
                if let Some((needle, what)) = found {
                    out.push(Verdict::fail(
                        i,
                        narrow(ctx.model, span, &needle),
                        format!("{}: user data contains a hard-coded AWS {what}", o.address),
                    ));
                }
            }
            Ok(None) => {}
        }
    }
    for (i, o) in ctx.model.of_type("aws_lambda_function") {
        for (name, value, span) in lambda_env(o) {
            if aws_key_in(name, value) {
                out.push(Verdict::fail(
                    i,
                    span.unwrap_or(o.span),
                    format!(
                        "{}: environment variable `{name}` holds a hard-coded AWS key",
                        o.address
                    ),
                ));
            }
        }
    }
    out.extend(each_container(ctx, &["environment"], |i, o, span, c, out| {
        if let Some(v) = unknown_key(i, o, span, c, "environment") {
            out.push(v);
            return;
        }
        // A computed value is not a key written in the code; only literal values are read.
        let env = c
            .get("environment")
            .and_then(serde_json::Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for e in env {
            let (Some(name), Some(value)) = (
                e.get("name").and_then(serde_json::Value::as_str),
                e.get("value").and_then(serde_json::Value::as_str),
            ) else {
                continue;
            };
            if aws_key_in(name, value) {
                out.push(Verdict::fail(
                    i,
                    narrow(ctx.model, span, name),
                    format!(
                        "{}: container `{}` environment variable `{name}` holds a hard-coded AWS key",
                        o.address,
                        container_name(c)
                    ),
                ));
            }
        }
    }));
    out
}

fn hardcoded_passwords(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (i, o) in terraform_objects(ctx.model, USER_DATA_TYPES) {
        match user_data(i, o) {
            Err(v) => out.push(v),
            Ok(Some((text, span))) => {
                if let Some(name) = find_password_assignment(&text) {
                    out.push(Verdict::fail(
                        i,
                        narrow(ctx.model, span, &name),
                        format!(
                            "{}: user data sets `{name}` to a hard-coded value",
                            o.address
                        ),
                    ));
                }
            }
            Ok(None) => {}
        }
    }
    for (i, o) in ctx.model.of_type("aws_lambda_function") {
        for (name, value, span) in lambda_env(o) {
            if is_secret_name(name) && is_literal_secret_value(value) && !aws_key_in(name, value) {
                out.push(Verdict::fail(
                    i,
                    span.unwrap_or(o.span),
                    format!(
                        "{}: environment variable `{name}` is set to a hard-coded secret; read it from Secrets Manager or SSM at runtime",
                        o.address
                    ),
                ));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// LOG030: Lambda function without a managed log group

fn lambda_log_group_missing(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (i, o) in ctx.model.of_type("aws_lambda_function") {
        // `logging_config { log_group = ... }` sends the logs to a group managed elsewhere.
        if o.attr_path("logging_config.0.log_group")
            .is_some_and(|v| !v.is_null())
        {
            continue;
        }
        let Some(fname) = o.attr("function_name") else {
            continue;
        };
        if let Some(u) = fname.as_unknown() {
            out.push(Verdict::unknown(
                i,
                fname.span.unwrap_or(o.span),
                format!("function_name is unknown: {}", u.reason),
            ));
            continue;
        }
        let Some(fname) = fname.as_str() else {
            continue;
        };
        let expected = format!("/aws/lambda/{fname}");
        let mut undecided: Option<String> = None;
        let mut found = false;
        for (_, g) in ctx.model.of_type("aws_cloudwatch_log_group") {
            if g.scope != o.scope {
                continue;
            }
            match g.attr("name") {
                Some(n) if n.as_str() == Some(expected.as_str()) => found = true,
                Some(n) => {
                    if let Some(u) = n.as_unknown() {
                        // A group named after this function by reference is its group.
                        let by_ref = g.refs.iter().any(|r| {
                            r.attr == "name"
                                && (r.target == o.address
                                    || o.address.starts_with(&format!("{}[", r.target)))
                        });
                        if by_ref {
                            found = true;
                        } else {
                            undecided.get_or_insert_with(|| {
                                format!("name of {} is unknown: {}", g.address, u.reason)
                            });
                        }
                    }
                }
                None => {}
            }
            if found {
                break;
            }
        }
        if found {
            continue;
        }
        match undecided {
            Some(reason) => out.push(Verdict::unknown(i, o.span, reason)),
            None => out.push(Verdict::fail(
                i,
                o.span,
                format!(
                    "{}: no aws_cloudwatch_log_group named `{expected}`; Lambda creates it on first run with no retention",
                    o.address
                ),
            )),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_key_ids() {
        assert_eq!(
            find_access_key_id("export K=AKIA2E0A8F3B244C9986;"),
            Some("AKIA2E0A8F3B244C9986")
        );
        assert_eq!(find_access_key_id("AKIAIOSFODNN7EXAMPLE"), None);
        assert_eq!(find_access_key_id("AKIA2E0A8F3B244C998"), None);
        assert_eq!(find_access_key_id("XAKIA2E0A8F3B244C9986"), None);
        assert_eq!(find_access_key_id("AKIA2E0A8F3B244C99861"), None);
        assert_eq!(find_access_key_id("akia2e0a8f3b244c9986"), None);
    }

    #[test]
    fn secret_access_keys() {
        let key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzz2k8Q9mZx";
        assert_eq!(key.len(), 40);
        assert!(find_secret_access_key(&format!("aws_secret_access_key = {key}")).is_some());
        assert!(find_secret_access_key(&format!("AWS_SECRET_ACCESS_KEY=\"{key}\"")).is_some());
        assert!(find_secret_access_key("aws_secret_access_key = $SECRET").is_none());
        assert!(find_secret_access_key(&format!("aws_secret_access_key = {key}X")).is_none());
    }

    #[test]
    fn password_assignments() {
        assert_eq!(
            find_password_assignment("export DB_PASSWORD=hunter22\n").as_deref(),
            Some("DB_PASSWORD")
        );
        assert_eq!(
            find_password_assignment("mysql --password s3cr3tpw").as_deref(),
            Some("password")
        );
        assert!(find_password_assignment("export DB_PASSWORD=$DB_PASSWORD").is_none());
        assert!(find_password_assignment("PASSWORD_FILE=/run/secrets/pw").is_none());
        assert!(find_password_assignment("password: \"{{ vault }}\"").is_none());
        assert!(find_password_assignment("echo forgot password").is_none());
    }

    #[test]
    fn secret_names() {
        assert!(is_secret_name("DB_PASSWORD"));
        assert!(is_secret_name("stripe_api_key"));
        assert!(is_secret_name("GITHUB_TOKEN"));
        assert!(!is_secret_name("DB_SECRET_ARN"));
        assert!(!is_secret_name("TOKEN_URL"));
        assert!(!is_secret_name("LOG_LEVEL"));
    }

    #[test]
    fn root_users() {
        assert!(is_root_user("root"));
        assert!(is_root_user("0"));
        assert!(is_root_user("0:0"));
        assert!(is_root_user("root:wheel"));
        assert!(!is_root_user("1000"));
        assert!(!is_root_user("app:0"));
    }

    #[test]
    fn base64() {
        assert_eq!(
            base64_decode("aGVsbG8gd29ybGQ=").as_deref(),
            Some("hello world")
        );
        assert_eq!(base64_decode("#!/bin/bash"), None);
    }
}
