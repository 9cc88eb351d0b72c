//! Built-in checks of the `encryption` pack (most of its rules are declarative; these need the
//! merged S3 view and the IAM policy model).

use crate::ir::{Model, Object, Value};
use crate::rules::iam_policy::{Policy, Statement, Tri, policy_of};
use crate::rules::{BuiltinFn, CheckContext, Verdict};
use crate::source::Span;

/// The checks of this pack, by built-in name.
pub const CHECKS: &[(&str, BuiltinFn)] = &[("enc_s3_tls_not_enforced", s3_tls_not_enforced)];

/// The first line of an object (`resource "aws_s3_bucket" "x" {`).
fn header(model: &Model, span: Span) -> Span {
    let text = &model.sources.get(span.file).text;
    let start = span.start as usize;
    let rest = text.get(start..span.end as usize).unwrap_or("");
    let len = rest.find(['\r', '\n']).unwrap_or(rest.len());
    Span::new(span.file, start, start + len)
}

/// Whether a statement denies every principal any S3 read and write made without TLS:
/// `Effect: Deny`, `Principal: "*"`, actions covering `s3:GetObject` and `s3:PutObject`
/// (`s3:*`, `*`), and a `Bool`/`BoolIfExists` condition `aws:SecureTransport = false`.
/// Resources are not compared with the bucket's ARN.
fn denies_insecure_transport(s: &Statement) -> Option<bool> {
    let effect = match &s.effect {
        Tri::Known(_) if !s.is_deny() => return Some(false),
        Tri::Known(_) => Some(true),
        _ => None,
    };
    let mut condition = Some(false);
    for c in s.conditions_on("aws:SecureTransport") {
        let op = c.operator.to_ascii_lowercase();
        if op != "bool" && op != "boolifexists" {
            continue;
        }
        match c.values.any(|v| v.trim().eq_ignore_ascii_case("false")) {
            Some(true) => {
                condition = Some(true);
                break;
            }
            None => condition = None,
            Some(false) => {}
        }
    }
    if condition == Some(false) && s.conditions.is_complete() {
        return Some(false);
    }
    if !s.conditions.is_complete() && condition != Some(true) {
        condition = None;
    }
    let parts = [
        effect,
        s.principal_is_public(),
        s.covers_action("s3:GetObject"),
        s.covers_action("s3:PutObject"),
        condition,
    ];
    if parts.contains(&Some(false)) {
        Some(false)
    } else if parts.iter().all(|p| *p == Some(true)) {
        Some(true)
    } else {
        None
    }
}

/// Whether a policy has such a statement: `None` when an unread part might.
fn policy_denies_insecure_transport(policy: &Policy) -> Option<bool> {
    let mut undecided = !policy.statements.is_complete();
    for s in policy.statements() {
        match denies_insecure_transport(s) {
            Some(true) => return Some(true),
            None => undecided = true,
            Some(false) => {}
        }
    }
    if undecided { None } else { Some(false) }
}

/// Checks one policy value of object `i`; `bucket` is the address named in the message.
fn check_policy(
    model: &Model,
    i: usize,
    o: &Object,
    v: &Value,
    bucket: &str,
    out: &mut Vec<Verdict>,
) {
    let span = v.span.unwrap_or(o.span);
    match policy_of(model, o, v) {
        Err(reason) => out.push(Verdict::unknown(
            i,
            span,
            format!("the bucket policy of {bucket} cannot be read: {reason}"),
        )),
        Ok(policy) => match policy_denies_insecure_transport(&policy) {
            Some(true) => {}
            Some(false) => out.push(Verdict::fail(
                i,
                span,
                format!(
                    "the bucket policy of {bucket} does not deny requests without TLS (`aws:SecureTransport` = false)"
                ),
            )),
            None => out.push(Verdict::unknown(
                i,
                span,
                format!(
                    "the bucket policy of {bucket} cannot be fully read: {}",
                    policy
                        .statements
                        .unknown_reason()
                        .unwrap_or("an effect, principal, action or condition is unknown")
                ),
            )),
        },
    }
}

fn s3_tls_not_enforced(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let model = ctx.model;
    let view = ctx.s3_view();
    let mut out = Vec::new();
    // Bucket policies whose bucket is not resolved (`bucket = var.name`): any of them may be the
    // policy of a bucket of the same scope that seems to have none.
    let unresolved: Vec<usize> = view
        .orphans
        .iter()
        .copied()
        .filter(|&i| model.objects[i].type_name == "aws_s3_bucket_policy")
        .collect();
    for b in &view.buckets {
        let o = &model.objects[b.bucket];
        if b.policies.is_empty() {
            let maybe = unresolved.iter().find(|&&p| {
                model.objects[p].scope == o.scope
                    && model.objects[p]
                        .attr("bucket")
                        .is_some_and(Value::is_unknown)
            });
            match maybe {
                Some(&p) => out.push(Verdict::unknown(
                    b.bucket,
                    header(model, o.span),
                    format!(
                        "{} has no bucket policy of its own, and the bucket of {} is unknown",
                        o.address, model.objects[p].address
                    ),
                )),
                None => out.push(Verdict::fail(
                    b.bucket,
                    header(model, o.span),
                    format!(
                        "{} has no bucket policy, so requests without TLS are not denied",
                        o.address
                    ),
                )),
            }
            continue;
        }
        for (i, v) in &b.policies {
            check_policy(model, *i, &model.objects[*i], v, &o.address, &mut out);
        }
    }
    for &i in &unresolved {
        let o = &model.objects[i];
        if let Some(v) = o.attr("policy").filter(|v| !v.is_null()) {
            check_policy(model, i, o, v, &o.address, &mut out);
        }
    }
    out
}
