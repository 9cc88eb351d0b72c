//! One normalized view of every security group rule, whichever way it is written.
//!
//! Terraform spells a security group rule four ways: inline `ingress`/`egress` blocks of
//! `aws_security_group`, `aws_security_group_rule` (`type = "ingress"`), and the newer
//! `aws_vpc_security_group_ingress_rule` / `_egress_rule` (one source per resource).
//! [`rules`] turns all of them into [`SgRule`]s, resolving the group a separate rule belongs to
//! through its `security_group_id` reference (same scope). A rule whose group cannot be resolved
//! is still returned (`group: None`): a rule resource open to the internet is an exposure
//! whichever group it lands in.
//!
//! Unknown parts stay Unknown: a protocol or port from a variable without value is
//! [`Tri::Unknown`], and a CIDR list that cannot be evaluated is listed in
//! [`SgRule::unknown_sources`], so rules can report "undecided" instead of guessing.

use indexmap::IndexMap;
use ipnet::IpNet;

use crate::ir::{Model, Object, Value, ValueKind};
use crate::rules::condition::{net_is_public, parse_cidr};
use crate::rules::iam_policy::Tri;
use crate::source::Span;

/// Traffic direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ingress,
    Egress,
}

/// IP protocol of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Protocol {
    /// `-1` / `all`: every protocol and every port (AWS ignores the port range).
    All,
    Tcp,
    Udp,
    Icmp,
    /// Any other protocol, by name or number (no ports).
    Other(String),
}

impl Protocol {
    pub fn parse(text: &str) -> Protocol {
        match text.trim().to_ascii_lowercase().as_str() {
            "-1" | "all" => Protocol::All,
            "tcp" | "6" => Protocol::Tcp,
            "udp" | "17" => Protocol::Udp,
            "icmp" | "1" | "icmpv6" | "58" => Protocol::Icmp,
            other => Protocol::Other(other.to_string()),
        }
    }

    /// Whether the protocol carries ports (TCP/UDP), or is "all".
    pub fn has_ports(&self) -> bool {
        matches!(self, Protocol::All | Protocol::Tcp | Protocol::Udp)
    }
}

/// One source or destination CIDR, with where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Cidr {
    pub text: String,
    pub net: Option<IpNet>,
    pub span: Span,
}

impl Cidr {
    /// Internet-routable addresses are included (not RFC 1918, loopback, …).
    pub fn is_public(&self) -> bool {
        self.net.as_ref().is_some_and(net_is_public)
    }

    /// The whole internet, or a public range so wide it amounts to it: a public CIDR of
    /// prefix length /8 or shorter (IPv4) or /32 or shorter (IPv6). `0.0.0.0/0`, `::/0`,
    /// `0.0.0.0/1`. A single office address (`203.0.113.7/32`) is not.
    pub fn is_internet(&self) -> bool {
        match self.net {
            Some(IpNet::V4(n)) => self.is_public() && n.prefix_len() <= 8,
            Some(IpNet::V6(n)) => self.is_public() && n.prefix_len() <= 32,
            None => false,
        }
    }

    /// A private (non-public) IPv4 range wider than a /16, e.g. `10.0.0.0/8`.
    pub fn is_wide_private(&self) -> bool {
        match self.net {
            Some(IpNet::V4(n)) => !self.is_public() && n.prefix_len() < 16,
            Some(IpNet::V6(n)) => !self.is_public() && n.prefix_len() < 48,
            None => false,
        }
    }
}

/// An inclusive port range; `None` for protocols without ports.
pub type PortRange = Option<(i64, i64)>;

/// A normalized security group rule.
#[derive(Debug, Clone)]
pub struct SgRule {
    /// Object the rule is written in: the group (inline block) or the rule resource.
    pub object: usize,
    /// The group the rule belongs to, when resolved.
    pub group: Option<usize>,
    /// For inline rules: the block type and index (`("ingress", 2)`).
    pub inline: Option<(&'static str, usize)>,
    pub direction: Direction,
    pub protocol: Tri<Protocol>,
    /// Inclusive port range; `(0, 65535)` for protocol "all"; `None` inside `Known` for
    /// protocols without ports (ICMP, …).
    pub ports: Tri<PortRange>,
    pub cidrs: Vec<Cidr>,
    /// Security groups referenced as source/destination (addresses or IDs, as written).
    pub security_groups: Vec<String>,
    pub prefix_lists: Vec<String>,
    pub self_source: bool,
    /// Sources that could not be evaluated: (reason, span).
    pub unknown_sources: Vec<(String, Span)>,
    /// `Some(None)` when absent or empty; `Some(Some(text))` when set; `None` when Unknown.
    pub description: Option<Option<String>>,
    /// The whole rule (inline block or rule resource).
    pub span: Span,
}

impl SgRule {
    /// Marks everything the rule says as Unknown for `reason` (a block that is Unknown as a
    /// whole): protocol, ports, sources (anchored at `span`) and description.
    fn undecided(&mut self, reason: &str, span: Span) {
        self.protocol = Tri::Unknown(reason.to_string());
        self.ports = Tri::Unknown(reason.to_string());
        self.unknown_sources.push((reason.to_string(), span));
        self.description = None;
    }

    /// Whether the rule's port range includes `port`: `Some(true|false)`, or `None` when the
    /// protocol or ports are Unknown.
    pub fn covers_port(&self, port: i64) -> Option<bool> {
        match &self.ports {
            Tri::Known(Some((lo, hi))) => Some(*lo <= port && port <= *hi),
            Tri::Known(None) => Some(false),
            _ => None,
        }
    }

    /// Every port of every protocol: protocol `-1`, or TCP/UDP 0–65535.
    pub fn all_ports(&self) -> Option<bool> {
        match (&self.protocol, &self.ports) {
            (Tri::Known(Protocol::All), _) => Some(true),
            (_, Tri::Known(Some((lo, hi)))) => Some(*lo <= 0 && *hi >= 65535),
            (_, Tri::Known(None)) => Some(false),
            _ => None,
        }
    }

    /// Why the ports are undecided, when they are.
    pub fn ports_unknown(&self) -> Option<&str> {
        self.protocol
            .unknown_reason()
            .or_else(|| self.ports.unknown_reason())
    }

    /// The first CIDR open to the whole internet.
    pub fn internet_cidr(&self) -> Option<&Cidr> {
        self.cidrs.iter().find(|c| c.is_internet())
    }
}

fn unknown_reason(v: &Value) -> Option<String> {
    v.as_unknown().map(|u| u.reason.clone())
}

fn scalar_text(v: &Value) -> Option<String> {
    match &v.kind {
        ValueKind::String(s) => Some(s.clone()),
        ValueKind::Number(n) => Some(if n.fract() == 0.0 {
            format!("{}", *n as i64)
        } else {
            n.to_string()
        }),
        _ => None,
    }
}

/// Reads protocol and ports from a map of attributes (`protocol`/`ip_protocol`,
/// `from_port`, `to_port`).
fn protocol_and_ports(
    attrs: &IndexMap<String, Value>,
    fallback: Span,
) -> (Tri<Protocol>, Tri<PortRange>, Span) {
    let get = |k: &str| attrs.get(k);
    let pv = get("protocol").or_else(|| get("ip_protocol"));
    let span = pv.and_then(|v| v.span).unwrap_or(fallback);
    let protocol = match pv {
        None => Tri::Unknown("the rule has no protocol".into()),
        Some(v) if v.is_null() => Tri::Unknown("the rule has no protocol".into()),
        Some(v) => match unknown_reason(v) {
            Some(r) => Tri::Unknown(r),
            None => match scalar_text(v) {
                Some(t) => Tri::Known(Protocol::parse(&t)),
                None => Tri::Unknown("the protocol is not a string".into()),
            },
        },
    };
    let ports = match &protocol {
        Tri::Known(Protocol::All) => Tri::Known(Some((0, 65535))),
        Tri::Known(p) if !p.has_ports() => Tri::Known(None),
        Tri::Known(_) => {
            let num = |name: &str| -> Result<Option<i64>, String> {
                match get(name) {
                    None => Ok(None),
                    Some(v) if v.is_null() => Ok(None),
                    Some(v) => match unknown_reason(v) {
                        Some(r) => Err(r),
                        None => v
                            .as_f64()
                            .map(|n| Some(n as i64))
                            .ok_or_else(|| format!("`{name}` is not a number")),
                    },
                }
            };
            match (num("from_port"), num("to_port")) {
                (Err(r), _) | (_, Err(r)) => Tri::Unknown(r),
                (Ok(Some(a)), Ok(Some(b))) => Tri::Known(Some((a.min(b), a.max(b)))),
                (Ok(Some(a)), Ok(None)) | (Ok(None), Ok(Some(a))) => Tri::Known(Some((a, a))),
                // TCP/UDP without ports is rejected by AWS; treat as undecided.
                (Ok(None), Ok(None)) => Tri::Unknown("the rule has no port range".into()),
            }
        }
        Tri::Partial(..) | Tri::Unknown(_) => Tri::Unknown(
            protocol
                .unknown_reason()
                .unwrap_or("unknown protocol")
                .to_string(),
        ),
    };
    (protocol, ports, span)
}

fn description_of(v: Option<&Value>) -> Option<Option<String>> {
    match v {
        None => Some(None),
        Some(v) if v.is_unknown() => None,
        Some(v) => Some(
            v.as_str()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from),
        ),
    }
}

/// Adds the CIDRs of a list attribute (or a single string) to `rule`.
fn add_cidrs(rule: &mut SgRule, v: Option<&Value>, fallback: Span) {
    let Some(v) = v else { return };
    let mut push = |item: &Value| match &item.kind {
        ValueKind::String(s) => rule.cidrs.push(Cidr {
            text: s.clone(),
            net: parse_cidr(s),
            span: item.span.or(v.span).unwrap_or(fallback),
        }),
        ValueKind::Unknown(u) => rule
            .unknown_sources
            .push((u.reason.clone(), item.span.or(v.span).unwrap_or(fallback))),
        _ => {}
    };
    match &v.kind {
        ValueKind::List(items) => items.iter().for_each(&mut push),
        _ => push(v),
    }
}

fn add_strings(
    out: &mut Vec<String>,
    unknown: &mut Vec<(String, Span)>,
    v: Option<&Value>,
    fb: Span,
) {
    let Some(v) = v else { return };
    let mut push = |item: &Value| match &item.kind {
        ValueKind::String(s) => out.push(s.clone()),
        ValueKind::Unknown(u) => match &u.refers_to {
            Some(addr) => out.push(addr.clone()),
            None => unknown.push((u.reason.clone(), item.span.or(v.span).unwrap_or(fb))),
        },
        _ => {}
    };
    match &v.kind {
        ValueKind::List(items) => items.iter().for_each(&mut push),
        _ => push(v),
    }
}

/// The object of one of `types` that `o`'s attribute `attr` refers to (same scope), through
/// the attribute's Unknown `refers_to` or a recorded reference.
pub fn referenced(model: &Model, o: &Object, attr: &str, types: &[&str]) -> Option<usize> {
    let mut targets: Vec<&str> = Vec::new();
    if let Some(t) = o
        .attr(attr)
        .and_then(Value::as_unknown)
        .and_then(|u| u.refers_to.as_deref())
    {
        targets.push(t);
    }
    targets.extend(
        o.refs
            .iter()
            .filter(|r| r.attr == attr)
            .map(|r| r.target.as_str()),
    );
    targets.into_iter().find_map(|t| {
        model
            .by_address(&format!("{}:{t}", o.scope))
            .filter(|&i| types.contains(&model.objects[i].type_name.as_str()))
    })
}

/// The group a rule resource's `security_group_id` refers to.
pub fn referenced_group(model: &Model, o: &Object, attr: &str) -> Option<usize> {
    referenced(
        model,
        o,
        attr,
        &["aws_security_group", "aws_default_security_group"],
    )
}

/// The load balancer a listener's `load_balancer_arn` refers to.
pub fn referenced_lb(model: &Model, listener: &Object) -> Option<usize> {
    referenced(model, listener, "load_balancer_arn", &["aws_lb", "aws_alb"])
}

fn empty_rule(object: usize, direction: Direction, span: Span) -> SgRule {
    SgRule {
        object,
        group: None,
        inline: None,
        direction,
        protocol: Tri::Unknown(String::new()),
        ports: Tri::Unknown(String::new()),
        cidrs: Vec::new(),
        security_groups: Vec::new(),
        prefix_lists: Vec::new(),
        self_source: false,
        unknown_sources: Vec::new(),
        description: Some(None),
        span,
    }
}

/// The inline `ingress`/`egress` blocks of a group object (`aws_security_group` or
/// `aws_default_security_group`). A block list that is Unknown as a whole (a `dynamic` block
/// over an unknown collection) yields one rule with Unknown protocol and sources.
pub fn inline_rules(i: usize, o: &Object) -> Vec<SgRule> {
    let mut out = Vec::new();
    for (key, dir) in [
        ("ingress", Direction::Ingress),
        ("egress", Direction::Egress),
    ] {
        let Some(v) = o.attr(key) else { continue };
        let blocks: Vec<&Value> = match &v.kind {
            ValueKind::List(items) => items.iter().collect(),
            ValueKind::Map(_) => vec![v],
            ValueKind::Unknown(u) => {
                let span = v.span.unwrap_or(o.span);
                let mut r = empty_rule(i, dir, span);
                r.group = Some(i);
                r.undecided(&u.reason, span);
                out.push(r);
                continue;
            }
            _ => continue,
        };
        for (n, b) in blocks.into_iter().enumerate() {
            let span = b.span.unwrap_or(o.span);
            let mut r = empty_rule(i, dir, span);
            r.group = Some(i);
            r.inline = Some((key, n));
            if let Some(u) = b.as_unknown() {
                r.undecided(&u.reason, span);
                out.push(r);
                continue;
            }
            let empty = IndexMap::new();
            let (p, ports, _) = protocol_and_ports(b.as_map().unwrap_or(&empty), span);
            r.protocol = p;
            r.ports = ports;
            add_cidrs(&mut r, b.get("cidr_blocks"), span);
            add_cidrs(&mut r, b.get("ipv6_cidr_blocks"), span);
            let mut unk = Vec::new();
            add_strings(
                &mut r.security_groups,
                &mut unk,
                b.get("security_groups"),
                span,
            );
            add_strings(
                &mut r.prefix_lists,
                &mut unk,
                b.get("prefix_list_ids"),
                span,
            );
            r.unknown_sources.extend(unk);
            match b.get("self").map(|v| (v.as_bool(), v)) {
                Some((Some(s), _)) => r.self_source = s,
                Some((None, v)) if v.is_unknown() => r.unknown_sources.push((
                    unknown_reason(v).unwrap_or_default(),
                    v.span.unwrap_or(span),
                )),
                _ => {}
            }
            r.description = description_of(b.get("description"));
            out.push(r);
        }
    }
    out
}

/// A standalone rule resource (`aws_security_group_rule`, `aws_vpc_security_group_*_rule`)
/// as a normalized rule; `None` for other types or an `aws_security_group_rule` whose `type`
/// is neither ingress nor egress.
pub fn resource_rule(model: &Model, i: usize, o: &Object) -> Option<SgRule> {
    let (direction, modern) = match o.type_name.as_str() {
        "aws_security_group_rule" => {
            let t = o.attr("type")?;
            let dir = match t.as_str() {
                Some("ingress") => Direction::Ingress,
                Some("egress") => Direction::Egress,
                _ => return None,
            };
            (dir, false)
        }
        "aws_vpc_security_group_ingress_rule" => (Direction::Ingress, true),
        "aws_vpc_security_group_egress_rule" => (Direction::Egress, true),
        _ => return None,
    };
    let mut r = empty_rule(i, direction, o.span);
    r.group = referenced_group(model, o, "security_group_id");
    let (p, ports, _) = protocol_and_ports(&o.attrs, o.span);
    r.protocol = p;
    r.ports = ports;
    let mut unk = Vec::new();
    if modern {
        add_cidrs(&mut r, o.attr("cidr_ipv4"), o.span);
        add_cidrs(&mut r, o.attr("cidr_ipv6"), o.span);
        add_strings(
            &mut r.security_groups,
            &mut unk,
            o.attr("referenced_security_group_id"),
            o.span,
        );
        add_strings(
            &mut r.prefix_lists,
            &mut unk,
            o.attr("prefix_list_id"),
            o.span,
        );
    } else {
        add_cidrs(&mut r, o.attr("cidr_blocks"), o.span);
        add_cidrs(&mut r, o.attr("ipv6_cidr_blocks"), o.span);
        add_strings(
            &mut r.security_groups,
            &mut unk,
            o.attr("source_security_group_id"),
            o.span,
        );
        add_strings(
            &mut r.prefix_lists,
            &mut unk,
            o.attr("prefix_list_ids"),
            o.span,
        );
        if let Some(s) = o.attr("self") {
            match s.as_bool() {
                Some(b) => r.self_source = b,
                None if s.is_unknown() => unk.push((
                    unknown_reason(s).unwrap_or_default(),
                    s.span.unwrap_or(o.span),
                )),
                None => {}
            }
        }
    }
    r.unknown_sources.extend(unk);
    r.description = description_of(o.attr("description"));
    Some(r)
}

/// Every security group rule of the model: inline blocks of `aws_security_group` and
/// `aws_default_security_group`, then the rule resources, in model order.
pub fn rules(model: &Model) -> Vec<SgRule> {
    let mut out = Vec::new();
    for ty in ["aws_security_group", "aws_default_security_group"] {
        for (i, o) in model.of_type(ty) {
            out.extend(inline_rules(i, o));
        }
    }
    for ty in [
        "aws_security_group_rule",
        "aws_vpc_security_group_ingress_rule",
        "aws_vpc_security_group_egress_rule",
    ] {
        for (i, o) in model.of_type(ty) {
            out.extend(resource_rule(model, i, o));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cidr(t: &str) -> Cidr {
        Cidr {
            text: t.into(),
            net: parse_cidr(t),
            span: Span::new(crate::source::FileId(0), 0, 0),
        }
    }

    #[test]
    fn internet_means_a_wide_public_range() {
        assert!(cidr("0.0.0.0/0").is_internet());
        assert!(cidr("::/0").is_internet());
        assert!(cidr("0.0.0.0/1").is_internet());
        assert!(!cidr("203.0.113.7/32").is_internet());
        assert!(!cidr("10.0.0.0/8").is_internet());
        assert!(cidr("10.0.0.0/8").is_wide_private());
        assert!(!cidr("10.0.0.0/16").is_wide_private());
        assert!(!cidr("not a cidr").is_internet());
    }

    #[test]
    fn protocol_names_and_numbers() {
        assert_eq!(Protocol::parse("-1"), Protocol::All);
        assert_eq!(Protocol::parse("ALL"), Protocol::All);
        assert_eq!(Protocol::parse("6"), Protocol::Tcp);
        assert_eq!(Protocol::parse("icmpv6"), Protocol::Icmp);
        assert!(!Protocol::parse("50").has_ports());
    }
}
