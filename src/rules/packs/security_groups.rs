//! Built-in checks of the `security-groups` pack (network exposure).
//!
//! Security group checks read the normalized rules of [`crate::rules::aws::security_groups`],
//! so inline blocks, `aws_security_group_rule` and `aws_vpc_security_group_*_rule` are judged
//! alike; S3 checks read [`crate::rules::aws::s3`]. Simple attribute tests (subnet public IPs,
//! `publicly_accessible`, …) are declarative rules in `rules/security-groups/`.

use crate::ir::{Model, Object, Value, ValueKind};
use crate::rules::aws::security_groups::{self as sg, Direction, SgRule};
use crate::rules::iam_policy::{Effect, Policy, Tri, policy_of};
use crate::rules::{BuiltinFn, CheckContext, Verdict};
use crate::source::Span;

/// The checks of this pack, by built-in name.
pub const CHECKS: &[(&str, BuiltinFn)] = &[
    ("sg_ssh_open", ssh_open),
    ("sg_rdp_open", rdp_open),
    ("sg_all_ports_open", all_ports_open),
    ("sg_service_port_open", service_port_open),
    ("sg_wide_private_cidr", wide_private_cidr),
    ("sg_rule_no_description", rule_no_description),
    ("sg_default_group_rules", default_group_rules),
    ("sg_nacl_admin_open", nacl_admin_open),
    ("sg_internet_facing_lb", internet_facing_lb_plain),
    ("sg_internet_facing_lb_http", internet_facing_lb_http),
    ("sg_ecr_policy_public", ecr_policy_public),
    ("sg_s3_policy_public", s3_policy_public),
    ("sg_s3_public_acl", s3_public_acl),
    ("sg_s3_pab_incomplete", s3_pab_incomplete),
    ("sg_lambda_permission_public", lambda_permission_public),
    ("sg_egress_all_open", egress_all_open),
];

/// `aws_security_group.web ingress #2` or `aws_security_group_rule.ssh`.
fn rule_name(model: &Model, r: &SgRule) -> String {
    let o = &model.objects[r.object];
    match r.inline {
        Some((key, n)) => format!("{} {key} block #{}", o.address, n + 1),
        None => o.address.clone(),
    }
}

// ---------------------------------------------------------------------------------------------
// Ports

/// Sensitive data-store and admin ports other than SSH/RDP: (port, service).
pub const SERVICE_PORTS: &[(i64, &str)] = &[
    (1433, "Microsoft SQL Server"),
    (1521, "Oracle Database"),
    (2375, "Docker API (plain text)"),
    (2376, "Docker API (TLS)"),
    (2379, "etcd"),
    (3306, "MySQL/MariaDB"),
    (5432, "PostgreSQL"),
    (5601, "Kibana/OpenSearch Dashboards"),
    (5671, "RabbitMQ (AMQPS)"),
    (5672, "RabbitMQ (AMQP)"),
    (5900, "VNC"),
    (5984, "CouchDB"),
    (6379, "Redis"),
    (6443, "Kubernetes API"),
    (7233, "Temporal"),
    (8123, "ClickHouse HTTP"),
    (9000, "ClickHouse native"),
    (9042, "Cassandra"),
    (9092, "Kafka"),
    (9094, "Kafka (TLS)"),
    (9200, "Elasticsearch/OpenSearch HTTP"),
    (9300, "Elasticsearch/OpenSearch transport"),
    (11211, "Memcached"),
    (15672, "RabbitMQ management"),
    (27017, "MongoDB"),
];

/// Internet ingress to `port` (one rule each, skipping rules open on every port, which
/// `SG003` reports).
fn internet_port(ctx: &CheckContext<'_>, port: i64, service: &str) -> Vec<Verdict> {
    let model = ctx.model;
    let mut out = Vec::new();
    for r in ctx.sg_rules() {
        if r.direction != Direction::Ingress || r.all_ports() == Some(true) {
            continue;
        }
        let world = r.internet_cidr();
        match (world, r.covers_port(port)) {
            (Some(c), Some(true)) => out.push(Verdict::fail(
                r.object,
                c.span,
                format!(
                    "{} allows {service} (port {port}) from {}",
                    rule_name(model, r),
                    c.text
                ),
            )),
            (Some(c), None) => out.push(Verdict::unknown(
                r.object,
                c.span,
                format!(
                    "{} is open to {} but its ports are unknown: {}",
                    rule_name(model, r),
                    c.text,
                    r.ports_unknown().unwrap_or("")
                ),
            )),
            (None, Some(true)) => {
                out.extend(undecided_sources(model, r, &format!("port {port}")));
            }
            _ => {}
        }
    }
    out
}

/// An Unknown verdict when some of the rule's sources could not be evaluated.
fn undecided_sources(model: &Model, r: &SgRule, what: &str) -> Option<Verdict> {
    let (reason, span) = r.unknown_sources.first()?;
    Some(Verdict::unknown(
        r.object,
        *span,
        format!(
            "{} opens {what} to sources that are unknown: {reason}",
            rule_name(model, r)
        ),
    ))
}

fn ssh_open(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    internet_port(ctx, 22, "SSH")
}

fn rdp_open(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    internet_port(ctx, 3389, "RDP")
}

fn all_ports_open(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let model = ctx.model;
    let mut out = Vec::new();
    for r in ctx.sg_rules() {
        if r.direction != Direction::Ingress {
            continue;
        }
        let Some(c) = r.internet_cidr() else {
            if r.all_ports() == Some(true) {
                out.extend(undecided_sources(model, r, "every port"));
            }
            continue;
        };
        match r.all_ports() {
            Some(true) => out.push(Verdict::fail(
                r.object,
                c.span,
                format!(
                    "{} allows every port and protocol from {}",
                    rule_name(model, r),
                    c.text
                ),
            )),
            None => out.push(Verdict::unknown(
                r.object,
                c.span,
                format!(
                    "{} is open to {} but its protocol or ports are unknown: {}",
                    rule_name(model, r),
                    c.text,
                    r.ports_unknown().unwrap_or("")
                ),
            )),
            Some(false) => {}
        }
    }
    out
}

/// The services of [`SERVICE_PORTS`] a rule's range covers.
fn services_covered(r: &SgRule) -> Option<Vec<(i64, &'static str)>> {
    let mut hit = Vec::new();
    for (p, s) in SERVICE_PORTS {
        if r.covers_port(*p)? {
            hit.push((*p, *s));
        }
    }
    Some(hit)
}

fn describe_services(hit: &[(i64, &str)]) -> String {
    let mut names: Vec<String> = hit
        .iter()
        .take(3)
        .map(|(p, s)| format!("{s} ({p})"))
        .collect();
    if hit.len() > 3 {
        names.push(format!("{} more", hit.len() - 3));
    }
    names.join(", ")
}

fn service_port_open(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let model = ctx.model;
    let mut out = Vec::new();
    for r in ctx.sg_rules() {
        if r.direction != Direction::Ingress || r.all_ports() == Some(true) {
            continue;
        }
        let Some(c) = r.internet_cidr() else {
            if let Some(hit) = services_covered(r).filter(|h| !h.is_empty()) {
                out.extend(undecided_sources(model, r, &describe_services(&hit)));
            }
            continue;
        };
        match services_covered(r) {
            Some(hit) if !hit.is_empty() => out.push(Verdict::fail(
                r.object,
                c.span,
                format!(
                    "{} exposes {} to {}",
                    rule_name(model, r),
                    describe_services(&hit),
                    c.text
                ),
            )),
            None => out.push(Verdict::unknown(
                r.object,
                c.span,
                format!(
                    "{} is open to {} but its ports are unknown: {}",
                    rule_name(model, r),
                    c.text,
                    r.ports_unknown().unwrap_or("")
                ),
            )),
            _ => {}
        }
    }
    out
}

fn wide_private_cidr(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let model = ctx.model;
    let mut out = Vec::new();
    for r in ctx.sg_rules() {
        if r.direction != Direction::Ingress {
            continue;
        }
        let Some(c) = r.cidrs.iter().find(|c| c.is_wide_private()) else {
            continue;
        };
        let mut hit: Vec<(i64, &str)> = vec![(22, "SSH"), (3389, "RDP")];
        hit.extend_from_slice(SERVICE_PORTS);
        let mut covered = Vec::new();
        let mut undecided = false;
        for (p, s) in hit {
            match r.covers_port(p) {
                Some(true) => covered.push((p, s)),
                Some(false) => {}
                None => undecided = true,
            }
        }
        if undecided {
            out.push(Verdict::unknown(
                r.object,
                c.span,
                format!(
                    "{} admits {} but its ports are unknown",
                    rule_name(model, r),
                    c.text
                ),
            ));
        } else if !covered.is_empty() {
            let what = if r.all_ports() == Some(true) {
                "every port".to_string()
            } else {
                describe_services(&covered)
            };
            out.push(Verdict::fail(
                r.object,
                c.span,
                format!(
                    "{} opens {what} to the whole private range {}",
                    rule_name(model, r),
                    c.text
                ),
            ));
        }
    }
    out
}

/// First line of a span (where a block starts), so a finding on a whole resource points at
/// its header.
fn header(model: &Model, span: Span) -> Span {
    let text = &model.sources.get(span.file).text;
    let start = span.start as usize;
    let rest = text.get(start..span.end as usize).unwrap_or("");
    let len = rest.find(['\r', '\n']).unwrap_or(rest.len());
    Span::new(span.file, start, start + len)
}

fn rule_no_description(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let model = ctx.model;
    let mut out = Vec::new();
    for (i, o) in model.of_type("aws_security_group") {
        let group_desc = match o.attr("description") {
            None => Some(false),
            Some(v) if v.is_unknown() => None,
            Some(v) => Some(v.as_str().is_some_and(|s| !s.trim().is_empty())),
        };
        let inline = sg::inline_rules(i, o);
        let missing = inline
            .iter()
            .filter(|r| r.direction == Direction::Ingress && r.description == Some(None))
            .count();
        let mut parts = Vec::new();
        if group_desc == Some(false) {
            parts.push("the group".to_string());
        }
        if missing > 0 {
            let total = inline
                .iter()
                .filter(|r| r.direction == Direction::Ingress)
                .count();
            parts.push(format!("{missing} of its {total} inline ingress rules"));
        }
        if !parts.is_empty() {
            out.push(Verdict::fail(
                i,
                header(model, o.span),
                format!("{}: no description on {}", o.address, parts.join(" and ")),
            ));
        }
    }
    for r in ctx.sg_rules() {
        if r.inline.is_some() || r.direction != Direction::Ingress {
            continue;
        }
        let o = &model.objects[r.object];
        if r.description == Some(None) {
            out.push(Verdict::fail(
                r.object,
                header(model, o.span),
                format!("{} has no description", o.address),
            ));
        }
    }
    out
}

fn default_group_rules(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let model = ctx.model;
    let mut out = Vec::new();
    for (i, o) in model.of_type("aws_default_security_group") {
        let mut dirs = Vec::new();
        for key in ["ingress", "egress"] {
            match o.attr(key).map(|v| (&v.kind, v)) {
                Some((ValueKind::List(items), _)) if !items.is_empty() => dirs.push(key),
                Some((ValueKind::Map(_), _)) => dirs.push(key),
                Some((ValueKind::Unknown(u), v)) => out.push(Verdict::unknown(
                    i,
                    v.span.unwrap_or(o.span),
                    format!("{key} blocks are unknown: {}", u.reason),
                )),
                _ => {}
            }
        }
        if let Some(first) = dirs.first() {
            out.push(Verdict::fail(
                i,
                o.span_of(first),
                format!(
                    "{} keeps {} rules on the VPC's default security group",
                    o.address,
                    dirs.join(" and ")
                ),
            ));
        }
    }
    // Rule resources attached to a managed default group.
    for r in ctx.sg_rules() {
        let Some(g) = r.group.filter(|_| r.inline.is_none()) else {
            continue;
        };
        let group = &model.objects[g];
        if group.type_name == "aws_default_security_group" {
            let o = &model.objects[r.object];
            out.push(Verdict::fail(
                r.object,
                header(model, o.span),
                format!(
                    "{} adds a rule to the VPC's default security group {}",
                    o.address, group.address
                ),
            ));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// NACLs

struct NaclEntry<'a> {
    egress: Option<bool>,
    action: Option<&'a Value>,
    protocol: Option<&'a Value>,
    from: Option<&'a Value>,
    to: Option<&'a Value>,
    cidrs: Vec<&'a Value>,
}

fn nacl_admin_open(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let model = ctx.model;
    let mut out = Vec::new();
    let mut entries: Vec<(usize, String, NaclEntry)> = Vec::new();
    for (i, o) in model.of_type("aws_network_acl") {
        if let Some(blocks) = o.attr("ingress").and_then(Value::as_list) {
            for (n, b) in blocks.iter().enumerate() {
                entries.push((
                    i,
                    format!("{} ingress block #{}", o.address, n + 1),
                    NaclEntry {
                        egress: Some(false),
                        action: b.get("action"),
                        protocol: b.get("protocol"),
                        from: b.get("from_port"),
                        to: b.get("to_port"),
                        cidrs: [b.get("cidr_block"), b.get("ipv6_cidr_block")]
                            .into_iter()
                            .flatten()
                            .collect(),
                    },
                ));
            }
        }
    }
    for (i, o) in model.of_type("aws_network_acl_rule") {
        entries.push((
            i,
            o.address.clone(),
            NaclEntry {
                egress: match o.attr("egress") {
                    None => Some(false),
                    Some(v) => v.as_bool(),
                },
                action: o.attr("rule_action"),
                protocol: o.attr("protocol"),
                from: o.attr("from_port"),
                to: o.attr("to_port"),
                cidrs: [o.attr("cidr_block"), o.attr("ipv6_cidr_block")]
                    .into_iter()
                    .flatten()
                    .collect(),
            },
        ));
    }
    for (i, name, e) in entries {
        if e.egress != Some(false) {
            continue;
        }
        let allow = e
            .action
            .and_then(Value::as_str)
            .map(|a| a.eq_ignore_ascii_case("allow"));
        if allow == Some(false) {
            continue;
        }
        let world = e.cidrs.iter().find(|c| {
            c.as_str().is_some_and(|t| {
                let c = sg::Cidr {
                    text: t.to_string(),
                    net: t.trim().parse().ok(),
                    span: Span::new(crate::source::FileId(0), 0, 0),
                };
                c.is_internet()
            })
        });
        let Some(world) = world else { continue };
        let span = world.span.unwrap_or(model.objects[i].span);
        let get = |v: Option<&Value>| v.and_then(Value::as_f64).map(|n| n as i64);
        let proto = e.protocol.and_then(|p| match &p.kind {
            ValueKind::Number(n) => Some(format!("{}", *n as i64)),
            _ => p.as_str().map(|s| s.trim().to_ascii_lowercase()),
        });
        let open: Option<Vec<i64>> = match proto.as_deref() {
            Some("-1") | Some("all") => Some(vec![22, 3389]),
            Some("tcp") | Some("6") => match (get(e.from), get(e.to)) {
                (Some(a), Some(b)) => Some(
                    [22, 3389]
                        .into_iter()
                        .filter(|p| a.min(b) <= *p && *p <= a.max(b))
                        .collect(),
                ),
                _ => None,
            },
            Some(_) => Some(vec![]),
            None => None,
        };
        if allow.is_none() {
            out.push(Verdict::unknown(
                i,
                span,
                format!("{name}: the rule action is unknown"),
            ));
            continue;
        }
        match open {
            Some(ports) if !ports.is_empty() => {
                let names: Vec<&str> = ports
                    .iter()
                    .map(|p| if *p == 22 { "SSH (22)" } else { "RDP (3389)" })
                    .collect();
                out.push(Verdict::fail(
                    i,
                    span,
                    format!(
                        "{name} allows {} from {}",
                        names.join(" and "),
                        world.as_str().unwrap_or("")
                    ),
                ));
            }
            None => out.push(Verdict::unknown(
                i,
                span,
                format!("{name}: the protocol or ports are unknown"),
            )),
            _ => {}
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Load balancers

fn internet_facing_lb_plain(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    internet_facing_lb(ctx, false)
}

fn internet_facing_lb_http(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    internet_facing_lb(ctx, true)
}

/// SG013 (`with_http = false`: internet-facing without a plain-HTTP listener) and SG014
/// (`with_http = true`: with one), so each load balancer gets exactly one of them.
fn internet_facing_lb(ctx: &CheckContext<'_>, with_http: bool) -> Vec<Verdict> {
    let model = ctx.model;
    let mut out = Vec::new();
    let mut lbs: Vec<(usize, &Object)> = model.of_type("aws_lb").collect();
    lbs.extend(model.of_type("aws_alb"));
    for (i, o) in lbs {
        let lb_type = o.attr("load_balancer_type").and_then(Value::as_str);
        if matches!(lb_type, Some("gateway")) {
            continue;
        }
        let internal = match o.attr("internal") {
            None => Some(false),
            Some(v) if v.is_null() => Some(false),
            Some(v) => v.as_bool(),
        };
        match internal {
            Some(true) => continue,
            None => {
                if !with_http {
                    out.push(Verdict::unknown(
                        i,
                        o.span_of("internal"),
                        "`internal` is unknown",
                    ));
                }
                continue;
            }
            Some(false) => {}
        }
        // Plain-HTTP listeners that serve content instead of redirecting.
        let plain: Vec<&Object> = ["aws_lb_listener", "aws_alb_listener"]
            .iter()
            .flat_map(|t| model.of_type(t))
            .filter(|(_, l)| {
                l.scope == o.scope && sg::referenced_lb(model, l) == Some(i) && serves_http(l)
            })
            .map(|(_, l)| l)
            .collect();
        let span = match o.attr("internal") {
            Some(v) if v.span.is_some() => o.span_of("internal"),
            _ => header(model, o.span),
        };
        match (plain.first(), with_http) {
            (Some(l), true) => out.push(Verdict::fail(
                i,
                span,
                format!(
                    "{} is internet-facing and {} serves plain HTTP on port 80 without redirecting to HTTPS",
                    o.address, l.address
                ),
            )),
            (None, false) => out.push(Verdict::fail(i, span, format!("{} is internet-facing", o.address))),
            _ => {}
        }
    }
    out
}

/// An HTTP listener on port 80 whose default action is not a redirect to HTTPS.
fn serves_http(l: &Object) -> bool {
    let port = l.attr("port").and_then(Value::as_f64);
    let proto = l
        .attr("protocol")
        .and_then(Value::as_str)
        .map(|p| p.to_ascii_uppercase());
    if port != Some(80.0) || !matches!(proto.as_deref(), None | Some("HTTP")) {
        return false;
    }
    let actions = l
        .attr("default_action")
        .and_then(Value::as_list)
        .unwrap_or_default();
    // Only a `forward` (possibly after authentication) serves the application in cleartext;
    // `redirect` and `fixed-response` do not.
    actions
        .iter()
        .any(|a| a.get("type").and_then(Value::as_str) == Some("forward"))
}

// ---------------------------------------------------------------------------------------------
// Resource policies

/// A statement that allows everyone without any condition: `Some(true)`; `None` when it
/// cannot be decided.
fn public_unconditional(policy: &Policy) -> (Option<bool>, Option<Span>) {
    let mut undecided = !policy.statements.is_complete();
    for s in policy.statements() {
        let allow = match &s.effect {
            Tri::Known(Effect::Allow) => Some(true),
            Tri::Known(Effect::Deny) => Some(false),
            _ => None,
        };
        if allow == Some(false) {
            continue;
        }
        let decided = (|| {
            if !s.principal_is_public()? {
                return Some(false);
            }
            Some(!s.has_conditions()?)
        })();
        match (allow, decided) {
            (Some(true), Some(true)) => return (Some(true), s.span),
            (_, Some(false)) => {}
            _ => undecided = true,
        }
    }
    (if undecided { None } else { Some(false) }, None)
}

fn check_policy(
    model: &Model,
    i: usize,
    o: &Object,
    v: &Value,
    what: &str,
    out: &mut Vec<Verdict>,
) {
    let span = v.span.unwrap_or(o.span);
    let policy = match policy_of(model, o, v) {
        Ok(p) => p,
        Err(_) => return,
    };
    match public_unconditional(&policy) {
        (Some(true), _) => out.push(Verdict::fail(
            i,
            span,
            format!(
                "{} {what} allows Principal \"*\" without a condition",
                o.address
            ),
        )),
        (None, _) => out.push(Verdict::unknown(
            i,
            span,
            format!(
                "{} {what} cannot be fully read: {}",
                o.address,
                policy
                    .statements
                    .unknown_reason()
                    .unwrap_or("a principal, effect or condition is unknown")
            ),
        )),
        _ => {}
    }
}

fn ecr_policy_public(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let mut out = Vec::new();
    for (i, o) in ctx.model.of_type("aws_ecr_repository_policy") {
        if let Some(v) = o.attr("policy").filter(|v| !v.is_null()) {
            check_policy(ctx.model, i, o, v, "repository policy", &mut out);
        }
    }
    out
}

fn s3_policy_public(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let model = ctx.model;
    let mut out = Vec::new();
    let view = ctx.s3_view();
    let mut seen = Vec::new();
    for b in &view.buckets {
        for (i, v) in &b.policies {
            seen.push(*i);
            check_policy(model, *i, &model.objects[*i], v, "bucket policy", &mut out);
        }
    }
    for &i in &view.orphans {
        let o = &model.objects[i];
        if o.type_name == "aws_s3_bucket_policy"
            && let Some(v) = o.attr("policy").filter(|v| !v.is_null())
        {
            check_policy(model, i, o, v, "bucket policy", &mut out);
        }
    }
    out
}

const PUBLIC_ACLS: &[&str] = &["public-read", "public-read-write", "authenticated-read"];

fn s3_public_acl(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let model = ctx.model;
    let view = ctx.s3_view();
    let mut acls: Vec<(usize, &Value)> = view.buckets.iter().flat_map(|b| b.acls.clone()).collect();
    for &i in &view.orphans {
        let o = &model.objects[i];
        if o.type_name == "aws_s3_bucket_acl"
            && let Some(v) = o.attr("acl").filter(|v| !v.is_null())
        {
            acls.push((i, v));
        }
    }
    let mut out = Vec::new();
    for (i, v) in acls {
        let o = &model.objects[i];
        let span = v.span.unwrap_or(o.span);
        match (&v.kind, v.as_str()) {
            (ValueKind::Unknown(u), _) => out.push(Verdict::unknown(
                i,
                span,
                format!("the ACL is unknown: {}", u.reason),
            )),
            (_, Some(a)) if PUBLIC_ACLS.contains(&a) => out.push(Verdict::fail(
                i,
                span,
                format!("{} sets the canned ACL `{a}`", o.address),
            )),
            _ => {}
        }
    }
    out
}

const PAB_FLAGS: &[&str] = &[
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
];

fn s3_pab_incomplete(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let model = ctx.model;
    let mut out = Vec::new();
    for (i, o) in model.of_type("aws_s3_bucket_public_access_block") {
        let mut off = Vec::new();
        for f in PAB_FLAGS {
            match o.attr(f) {
                None => off.push(*f),
                Some(v) if v.is_unknown() => out.push(Verdict::unknown(
                    i,
                    o.span_of(f),
                    format!("`{f}` is unknown"),
                )),
                Some(v) => {
                    if v.as_bool() != Some(true) {
                        off.push(*f)
                    }
                }
            }
        }
        if let Some(first) = off.first() {
            let span = match o.attr(first) {
                Some(_) => o.span_of(first),
                None => header(model, o.span),
            };
            out.push(Verdict::fail(
                i,
                span,
                format!("{} does not set {} to true", o.address, off.join(", ")),
            ));
        }
    }
    out
}

fn lambda_permission_public(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let model = ctx.model;
    let mut out = Vec::new();
    for (i, o) in model.of_type("aws_lambda_permission") {
        let Some(p) = o.attr("principal") else {
            continue;
        };
        let span = p.span.unwrap_or(o.span);
        if let Some(u) = p.as_unknown() {
            out.push(Verdict::unknown(
                i,
                span,
                format!("the principal is unknown: {}", u.reason),
            ));
            continue;
        }
        if p.as_str().map(str::trim) != Some("*") {
            continue;
        }
        // A grant for a function URL (`function_url_auth_type`) is the URL's own, intended
        // access model, not an invocation grant to every account.
        let restricted = [
            "source_arn",
            "source_account",
            "principal_org_id",
            "function_url_auth_type",
        ]
        .iter()
        .any(|k| o.attr(k).is_some_and(|v| !v.is_null()));
        if restricted {
            continue;
        }
        out.push(Verdict::fail(
            i,
            span,
            format!(
                "{} lets any AWS account invoke the function (principal \"*\" without source_arn or source_account)",
                o.address
            ),
        ));
    }
    out
}

fn egress_all_open(ctx: &CheckContext<'_>) -> Vec<Verdict> {
    let model = ctx.model;
    let mut out = Vec::new();
    for r in ctx.sg_rules() {
        if r.direction != Direction::Egress {
            continue;
        }
        let Some(c) = r.internet_cidr() else { continue };
        match r.all_ports() {
            Some(true) => out.push(Verdict::fail(
                r.object,
                c.span,
                format!(
                    "{} allows all outbound traffic to {}",
                    rule_name(model, r),
                    c.text
                ),
            )),
            None => out.push(Verdict::unknown(
                r.object,
                c.span,
                format!("{}: protocol or ports unknown", rule_name(model, r)),
            )),
            _ => {}
        }
    }
    out
}
