//! Built-in checks of the `iam` pack: IAM identity policies, role trust policies, KMS key
//! policies and policy attachments.
//!
//! Policies are read with [`crate::rules::iam_policy::policy_of`], so a `policy` that refers to a
//! `data "aws_iam_policy_document"` of the same module is checked through that document's
//! `statement` blocks, and JSON strings (heredoc, `jsonencode(...)`, `file(...)`) through their
//! decoded statements. Findings point at the statement (the `statement` block, or the JSON
//! policy value). A policy part that is Unknown yields an Unknown verdict, never a finding.

use crate::ir::{Model, Object, ObjectKind, Value, ValueKind};
use crate::rules::iam_policy::{Effect, Policy, Statement, Tri, action_matches, policy_of};
use crate::rules::{BuiltinFn, CheckContext, Verdict};
use crate::source::Span;

/// The checks of this pack, by built-in name.
pub const CHECKS: &[(&str, BuiltinFn)] = &[
    ("iam_admin_policy", admin_policy),
    ("iam_service_wide_actions", service_wide_actions),
    ("iam_pass_role_any_resource", pass_role_any_resource),
    ("iam_public_trust", public_trust),
    (
        "iam_github_oidc_unrestricted_sub",
        github_oidc_unrestricted_sub,
    ),
    ("iam_kms_key_policy_public", kms_key_policy_public),
    ("iam_policy_attached_to_user", policy_attached_to_user),
    (
        "iam_administrator_access_attached",
        administrator_access_attached,
    ),
    (
        "iam_ecs_task_role_is_execution_role",
        ecs_task_role_is_execution_role,
    ),
    (
        "iam_wildcard_resource_scoped_action",
        wildcard_resource_scoped_action,
    ),
];

// ---------------------------------------------------------------------------------------------
// Policy sources

#[derive(Clone, Copy, PartialEq, Eq)]
enum PolicyKind {
    /// Permissions of a user, group or role.
    Identity,
    /// `aws_iam_role.assume_role_policy`.
    Trust,
    /// `aws_kms_key.policy`.
    KmsKey,
}

/// Every policy value of `kind` in the model: `(object index, object, attribute, value)`.
fn policy_values(model: &Model, kind: PolicyKind) -> Vec<(usize, &Object, &'static str, &Value)> {
    let mut out = Vec::new();
    for (i, o) in model.objects.iter().enumerate() {
        if o.kind != ObjectKind::Resource {
            continue;
        }
        match (kind, o.type_name.as_str()) {
            (
                PolicyKind::Identity,
                "aws_iam_policy"
                | "aws_iam_role_policy"
                | "aws_iam_user_policy"
                | "aws_iam_group_policy",
            ) => {
                if let Some(v) = o.attr("policy") {
                    out.push((i, o, "policy", v));
                }
            }
            (PolicyKind::Identity, "aws_iam_role") => {
                if let Some(blocks) = o.attr("inline_policy").and_then(Value::as_list) {
                    for b in blocks {
                        if let Some(v) = b.get("policy") {
                            out.push((i, o, "inline_policy.policy", v));
                        }
                    }
                }
            }
            (PolicyKind::Trust, "aws_iam_role") => {
                if let Some(v) = o.attr("assume_role_policy") {
                    out.push((i, o, "assume_role_policy", v));
                }
            }
            (PolicyKind::KmsKey, "aws_kms_key") => {
                if let Some(v) = o.attr("policy") {
                    out.push((i, o, "policy", v));
                }
            }
            _ => {}
        }
    }
    out
}

fn first_line(model: &Model, span: Span) -> Span {
    let text = &model.sources.get(span.file).text;
    let start = span.start as usize;
    let rest = text.get(start..span.end as usize).unwrap_or("");
    let len = rest.find(['\r', '\n']).unwrap_or(rest.len());
    Span::new(span.file, start, start + len)
}

/// Three-valued AND.
fn and(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

/// The statement is (or may be) an Allow.
fn allow(s: &Statement) -> Option<bool> {
    match s.effect {
        Tri::Known(Effect::Allow) => Some(true),
        Tri::Known(Effect::Deny) => Some(false),
        _ => None,
    }
}

fn is_all_actions(a: &str) -> bool {
    matches!(a.trim(), "*" | "*:*")
}

/// `svc:*`: every action of one service.
fn is_service_wide(a: &str) -> bool {
    a.trim()
        .split_once(':')
        .is_some_and(|(svc, act)| act == "*" && !svc.is_empty() && !svc.contains(['*', '?']))
}

/// Runs `test` on every statement of every policy of `kind`. `test` returns `Some(message)` for
/// a violation, `None` when the statement is fine, `Err(reason)` when it cannot be decided.
/// A policy that cannot be decided as a whole yields one Unknown verdict.
fn per_statement(
    ctx: &CheckContext<'_>,
    kind: PolicyKind,
    test: impl Fn(&Statement) -> Result<Option<String>, String>,
) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (i, o, attr, v) in policy_values(ctx.model, kind) {
        let fallback = v.span.unwrap_or_else(|| first_line(ctx.model, o.span));
        let policy: Policy = match policy_of(ctx.model, o, v) {
            Ok(p) => p,
            // Not a policy at all (invalid JSON, null): nothing to judge here.
            Err(_) => continue,
        };
        let mut failed = false;
        for s in policy.statements() {
            let span = s.span.or(policy.span).unwrap_or(fallback);
            match test(s) {
                Ok(Some(message)) => {
                    failed = true;
                    out.push(Verdict::fail(i, span, format!("{}: {message}", o.address)));
                }
                Ok(None) => {}
                Err(reason) => out.push(Verdict::unknown(
                    i,
                    span,
                    format!("{}.{attr}: {reason}", o.address),
                )),
            }
        }
        if !failed && let Some(reason) = policy.statements.unknown_reason() {
            out.push(Verdict::unknown(
                i,
                policy.span.unwrap_or(fallback),
                format!("{}.{attr} is not fully known: {reason}", o.address),
            ));
        }
    }
    out
}

fn tri(v: Option<bool>, what: &str) -> Result<bool, String> {
    v.ok_or_else(|| format!("{what} is unknown"))
}

/// `Ok(true)` when the statement is an Allow granting every action on every resource.
fn is_admin(s: &Statement) -> Result<bool, String> {
    tri(
        and(
            allow(s),
            and(s.actions.any(is_all_actions), s.has_wildcard_resource()),
        ),
        "the statement's effect, actions or resources",
    )
}

fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------------------------------------
// IAM001–IAM003, IAM010: identity policies

/// IAM001: `Allow` of `Action: "*"` on `Resource: "*"`.
fn admin_policy(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    per_statement(ctx, PolicyKind::Identity, |s| {
        Ok(is_admin(s)?.then(|| {
            "a statement allows every action (`*`) on every resource (`*`): full administrator access"
                .to_string()
        }))
    })
}

/// IAM002: `Allow` of `*` or `svc:*` (not already IAM001).
fn service_wide_actions(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    per_statement(ctx, PolicyKind::Identity, |s| {
        if allow(s) == Some(false) {
            return Ok(None);
        }
        let wide: Vec<&str> = s
            .actions
            .items()
            .iter()
            .map(String::as_str)
            .filter(|a| is_all_actions(a) || is_service_wide(a))
            .collect();
        if wide.is_empty() {
            return if s.actions.is_complete() {
                Ok(None)
            } else {
                Err("the statement's actions are not fully known".into())
            };
        }
        tri(allow(s), "the statement's effect")?;
        if wide.iter().all(|a| is_all_actions(a)) && is_admin(s).unwrap_or(false) {
            return Ok(None); // IAM001
        }
        Ok(Some(format!(
            "a statement allows every action of a service: {}",
            list(&wide)
        )))
    })
}

/// IAM003: `iam:PassRole` allowed on `Resource: "*"` (excluding `Action: "*"`, IAM001/IAM002).
fn pass_role_any_resource(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    per_statement(ctx, PolicyKind::Identity, |s| {
        if allow(s) == Some(false) {
            return Ok(None);
        }
        let pass = s
            .actions
            .any(|a| !is_all_actions(a) && action_matches(a, "iam:PassRole"));
        let r = and(allow(s), and(pass, s.has_wildcard_resource()));
        Ok(tri(r, "the statement's effect, actions or resources")?.then(|| {
            "`iam:PassRole` is allowed on `Resource: \"*\"`: any role, including administrator roles, can be handed to a service".to_string()
        }))
    })
}

/// Actions that support no resource-level permissions, so `Resource: "*"` is the only choice.
/// From the AWS Service Authorization Reference: these actions list no resource type.
const WILDCARD_ONLY_ACTIONS: &[&str] = &[
    "autoscaling:Describe*",
    "cloudwatch:DescribeAlarmsForMetric",
    "cloudwatch:GetMetricData",
    "cloudwatch:ListMetrics",
    "cloudwatch:PutMetricData",
    "ec2:Describe*",
    "ecr:GetAuthorizationToken",
    "elasticloadbalancing:Describe*",
    "iam:GetAccountPasswordPolicy",
    "iam:GetAccountSummary",
    "iam:ListAccountAliases",
    "kms:CreateKey",
    "kms:ListAliases",
    "kms:ListKeys",
    "logs:DescribeLogGroups",
    "s3:ListAllMyBuckets",
    "secretsmanager:GetRandomPassword",
    "secretsmanager:ListSecrets",
    "ssm:DescribeParameters",
    "sts:GetAccessKeyInfo",
    "sts:GetCallerIdentity",
    "sts:GetSessionToken",
    "xray:PutTelemetryRecords",
    "xray:PutTraceSegments",
];

fn wildcard_only(action: &str) -> bool {
    WILDCARD_ONLY_ACTIONS
        .iter()
        .any(|p| action_matches(p, action))
}

/// IAM010 (opt-in): scoped actions granted on `Resource: "*"`.
fn wildcard_resource_scoped_action(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    per_statement(ctx, PolicyKind::Identity, |s| {
        if allow(s) == Some(false) || s.has_wildcard_resource() == Some(false) {
            return Ok(None);
        }
        let scoped: Vec<&str> = s
            .actions
            .items()
            .iter()
            .map(String::as_str)
            .filter(|a| !is_all_actions(a) && !is_service_wide(a) && !wildcard_only(a))
            .collect();
        if scoped.is_empty() {
            return if s.actions.is_complete() {
                Ok(None)
            } else {
                Err("the statement's actions are not fully known".into())
            };
        }
        let r = and(allow(s), s.has_wildcard_resource());
        Ok(tri(r, "the statement's effect or resources")?.then(|| {
            format!(
                "{} allowed on `Resource: \"*\"`; name the resources (ARNs) instead",
                list(&scoped)
            )
        }))
    })
}

// ---------------------------------------------------------------------------------------------
// IAM004–IAM006: trust and key policies

/// An Allow open to `*` without conditions.
fn public_without_conditions(s: &Statement) -> Result<bool, String> {
    if allow(s) == Some(false) {
        return Ok(false);
    }
    let public = tri(s.principal_is_public(), "the statement's principal")?;
    if !public {
        return Ok(false);
    }
    let conditioned = tri(s.has_conditions(), "the statement's conditions")?;
    Ok(!conditioned && tri(allow(s), "the statement's effect")?)
}

/// IAM004: a role trust policy that lets any AWS principal assume the role.
fn public_trust(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    per_statement(ctx, PolicyKind::Trust, |s| {
        Ok(public_without_conditions(s)?.then(|| {
            "the trust policy lets any AWS principal (`*`) assume the role, without conditions"
                .to_string()
        }))
    })
}

/// IAM006: a KMS key policy that allows `*` without conditions.
fn kms_key_policy_public(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    per_statement(ctx, PolicyKind::KmsKey, |s| {
        Ok(public_without_conditions(s)?
            .then(|| "the key policy allows any principal (`*`) without conditions".to_string()))
    })
}

const GITHUB_OIDC: &str = "token.actions.githubusercontent.com";

/// A `sub` value that does not pin the repository owner: `*`, `repo:*`, `repo:acme*/x` (which
/// also matches `acme-evil/x`), or any other wildcard not of the form `repo:<owner>/…`.
fn sub_too_broad(v: &str) -> bool {
    let v = v.trim();
    match v.strip_prefix("repo:") {
        Some(rest) => match rest.split_once('/') {
            Some((owner, _)) => owner.is_empty() || owner.contains(['*', '?']),
            None => rest.contains(['*', '?']),
        },
        None => v.contains(['*', '?']),
    }
}

/// IAM005: GitHub Actions OIDC trust without a `sub` condition naming the repository.
fn github_oidc_unrestricted_sub(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let sub_key = format!("{GITHUB_OIDC}:sub");
    per_statement(ctx, PolicyKind::Trust, |s| {
        if allow(s) == Some(false) {
            return Ok(None);
        }
        let federated = s
            .principals
            .as_ref()
            .and_then(|p| p.known())
            .and_then(|p| p.get("Federated"));
        let by_principal = federated.and_then(|f| f.any(|id| id.contains(GITHUB_OIDC)));
        let by_condition = s
            .conditions
            .items_any(|c| c.key.to_ascii_lowercase().starts_with(GITHUB_OIDC));
        let github = match (by_principal, by_condition) {
            (Some(true), _) | (_, Some(true)) => true,
            (Some(false), Some(false)) => false,
            (None, Some(false)) if federated.is_none() => false,
            _ => {
                // A federated principal we cannot read: only worth an Unknown when the
                // statement is a web-identity assumption.
                if s.allows_action("sts:AssumeRoleWithWebIdentity") == Some(false) {
                    return Ok(None);
                }
                return Err("the federated principal is unknown".into());
            }
        };
        if !github {
            return Ok(None);
        }
        tri(allow(s), "the statement's effect")?;
        let subs: Vec<_> = s.conditions_on(&sub_key).collect();
        if subs.is_empty() {
            if !s.conditions.is_complete() {
                return Err("the statement's conditions are not fully known".into());
            }
            return Ok(Some(format!(
                "the GitHub Actions OIDC trust has no `{sub_key}` condition: any repository on GitHub can assume the role"
            )));
        }
        let mut broad = Vec::new();
        for c in &subs {
            if c.operator.to_ascii_lowercase().contains("not") {
                continue;
            }
            broad.extend(
                c.values
                    .items()
                    .iter()
                    .filter(|v| sub_too_broad(v))
                    .cloned(),
            );
            if !c.values.is_complete() && broad.is_empty() {
                return Err(format!(
                    "the `{sub_key}` condition values are not fully known"
                ));
            }
        }
        if broad.is_empty() {
            return Ok(None);
        }
        Ok(Some(format!(
            "the GitHub Actions OIDC trust allows `{sub_key}` = {}: not restricted to your repositories",
            broad
                .iter()
                .map(|b| format!("\"{b}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )))
    })
}

trait ConditionsExt {
    fn items_any(&self, f: impl Fn(&crate::rules::iam_policy::Condition) -> bool) -> Option<bool>;
}

impl ConditionsExt for Tri<Vec<crate::rules::iam_policy::Condition>> {
    fn items_any(&self, f: impl Fn(&crate::rules::iam_policy::Condition) -> bool) -> Option<bool> {
        let items = self.known().map(Vec::as_slice).unwrap_or_default();
        if items.iter().any(f) {
            Some(true)
        } else if self.is_complete() {
            Some(false)
        } else {
            None
        }
    }
}

// ---------------------------------------------------------------------------------------------
// IAM007–IAM009: attachments and ECS

/// IAM007: a policy attached directly to an IAM user.
fn policy_attached_to_user(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (i, o) in ctx.model.objects.iter().enumerate() {
        if o.kind != ObjectKind::Resource {
            continue;
        }
        let header = first_line(ctx.model, o.span);
        match o.type_name.as_str() {
            "aws_iam_user_policy" | "aws_iam_user_policy_attachment" => {
                let what = if o.type_name == "aws_iam_user_policy" {
                    "an inline policy is attached to a user"
                } else {
                    "a managed policy is attached to a user"
                };
                out.push(Verdict::fail(
                    i,
                    header,
                    format!(
                        "{}: {what}; grant permissions through groups or roles",
                        o.address
                    ),
                ));
            }
            "aws_iam_policy_attachment" => {
                let span = o.span_of("users");
                match o.attr("users").map(|v| &v.kind) {
                    None | Some(ValueKind::Null) => {}
                    Some(ValueKind::List(l)) if l.is_empty() => {}
                    Some(ValueKind::List(_)) => {
                        let message = format!(
                            "{}: the policy is attached to users; grant permissions through groups or roles",
                            o.address
                        );
                        out.push(Verdict::fail(i, span, message));
                    }
                    Some(ValueKind::Unknown(u)) => {
                        let reason = format!("{}.users is unknown: {}", o.address, u.reason);
                        out.push(Verdict::unknown(i, span, reason));
                    }
                    Some(_) => {}
                }
            }
            _ => {}
        }
    }
    out
}

fn is_admin_arn(arn: &str) -> bool {
    let arn = arn.trim();
    arn.strip_prefix("arn:")
        .and_then(|r| r.split_once(':'))
        .is_some_and(|(_, rest)| rest == "iam::aws:policy/AdministratorAccess")
}

/// Whether a policy ARN value is AdministratorAccess: `Some(bool)`, or `None` when unknown.
fn arn_is_admin(model: &Model, o: &Object, v: &Value) -> Option<bool> {
    match &v.kind {
        ValueKind::String(s) => Some(is_admin_arn(s)),
        ValueKind::Unknown(u) => {
            let target = u.refers_to.as_deref()?;
            let t = &model.objects[model.by_address(&format!("{}:{target}", o.scope))?];
            match (t.kind, t.type_name.as_str()) {
                // A customer managed policy of this configuration: never the AWS one.
                (ObjectKind::Resource, "aws_iam_policy") => Some(false),
                // `data "aws_iam_policy"` looked up by ARN or name.
                (ObjectKind::Data, "aws_iam_policy") => {
                    if let Some(arn) = t.attr("arn").and_then(Value::as_str) {
                        Some(is_admin_arn(arn))
                    } else {
                        t.attr("name")
                            .and_then(Value::as_str)
                            .map(|n| n == "AdministratorAccess")
                    }
                }
                _ => None,
            }
        }
        _ => Some(false),
    }
}

/// IAM008: the AWS managed `AdministratorAccess` policy attached to a role, user or group.
fn administrator_access_attached(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (i, o) in ctx.model.objects.iter().enumerate() {
        if o.kind != ObjectKind::Resource {
            continue;
        }
        let values: Vec<(&str, &Value)> = match o.type_name.as_str() {
            "aws_iam_role_policy_attachment"
            | "aws_iam_user_policy_attachment"
            | "aws_iam_group_policy_attachment"
            | "aws_iam_policy_attachment" => o
                .attr("policy_arn")
                .map(|v| ("policy_arn", v))
                .into_iter()
                .collect(),
            "aws_iam_role" => match o.attr("managed_policy_arns").map(|v| &v.kind) {
                Some(ValueKind::List(l)) => l.iter().map(|v| ("managed_policy_arns", v)).collect(),
                Some(ValueKind::Unknown(_)) => {
                    vec![(
                        "managed_policy_arns",
                        o.attr("managed_policy_arns").expect("matched"),
                    )]
                }
                _ => Vec::new(),
            },
            _ => continue,
        };
        for (attr, v) in values {
            let span = v.span.unwrap_or_else(|| o.span_of(attr));
            match arn_is_admin(ctx.model, o, v) {
                Some(true) => out.push(Verdict::fail(
                    i,
                    span,
                    format!(
                        "{}: the AWS managed `AdministratorAccess` policy is attached",
                        o.address
                    ),
                )),
                Some(false) => {}
                None => out.push(Verdict::unknown(
                    i,
                    span,
                    format!("{}.{attr} is unknown", o.address),
                )),
            }
        }
    }
    out
}

/// IAM009: an ECS task definition whose task role is its execution role.
fn ecs_task_role_is_execution_role(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (i, o) in ctx.model.of_type("aws_ecs_task_definition") {
        if o.kind != ObjectKind::Resource {
            continue;
        }
        let (Some(task), Some(exec)) = (o.attr("task_role_arn"), o.attr("execution_role_arn"))
        else {
            continue;
        };
        let span = task.span.unwrap_or_else(|| o.span_of("task_role_arn"));
        let same = match (&task.kind, &exec.kind) {
            (ValueKind::Null, _) | (_, ValueKind::Null) => Some(false),
            (ValueKind::String(a), ValueKind::String(b)) => Some(a == b),
            (ValueKind::Unknown(a), ValueKind::Unknown(b)) => {
                match (a.refers_to.as_deref(), b.refers_to.as_deref()) {
                    (Some(x), Some(y)) if x == y => Some(true),
                    // Two different objects of this configuration: different roles.
                    (Some(_), Some(_)) => Some(false),
                    _ => None,
                }
            }
            _ => None,
        };
        match same {
            Some(true) => {
                let message = format!(
                    "{}: the task role is the execution role; the application's containers get the permissions ECS uses to pull images and read secrets",
                    o.address
                );
                out.push(Verdict::fail(i, span, message));
            }
            Some(false) => {}
            None => {
                let reason = format!(
                    "{}: task_role_arn or execution_role_arn is unknown",
                    o.address
                );
                out.push(Verdict::unknown(i, span, reason));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_sub_breadth() {
        for broad in [
            "*",
            "repo:*",
            "repo:*/*",
            "repo:acme*/infra:*",
            "repo:?cme/x",
            "*:ref:refs/heads/main",
        ] {
            assert!(sub_too_broad(broad), "{broad}");
        }
        for ok in [
            "repo:acme/*",
            "repo:acme/infra:ref:refs/heads/main",
            "repo:acme/infra:environment:prod",
            "repo:acme/infra:*",
        ] {
            assert!(!sub_too_broad(ok), "{ok}");
        }
    }

    #[test]
    fn service_wide_and_admin_arns() {
        assert!(is_service_wide("s3:*"));
        assert!(!is_service_wide("s3:Get*"));
        assert!(!is_service_wide("*"));
        assert!(!is_service_wide("*:*"));
        assert!(is_all_actions("*:*"));
        assert!(is_admin_arn("arn:aws:iam::aws:policy/AdministratorAccess"));
        assert!(is_admin_arn(
            "arn:aws-cn:iam::aws:policy/AdministratorAccess"
        ));
        assert!(!is_admin_arn(
            "arn:aws:iam::111122223333:policy/AdministratorAccess"
        ));
        assert!(!is_admin_arn(
            "arn:aws:iam::aws:policy/AdministratorAccess-Amplify"
        ));
    }

    #[test]
    fn wildcard_only_actions() {
        assert!(wildcard_only("ecr:GetAuthorizationToken"));
        assert!(wildcard_only("ec2:DescribeInstances"));
        assert!(wildcard_only("EC2:Describe*"));
        assert!(!wildcard_only("logs:CreateLogGroup"));
        assert!(!wildcard_only("ecr:BatchGetImage"));
    }
}
