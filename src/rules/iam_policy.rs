//! IAM policy documents as data: normalized statements from a policy JSON string (a heredoc,
//! a literal or the result of `jsonencode`), from an already decoded map, or from the
//! attributes of a `data "aws_iam_policy_document"` object.
//!
//! Parts that cannot be known statically are kept as [`Tri::Unknown`] (or [`Tri::Partial`]
//! when some elements of a list are known): a `${...}` left in the JSON text, an Unknown
//! value from the evaluator. The predicates return `Option<bool>`: `None` means the answer
//! depends on an Unknown part.
//!
//! ```text
//! let policy = Policy::from_value(obj.attrs.get("policy")?)?;
//! if policy.statements().any(|s| s.is_allow() && s.allows_all_actions() == Some(true)) { … }
//! ```

use std::collections::BTreeMap;

use indexmap::IndexMap;

use crate::ir::{Model, Object, Value, ValueKind};
use crate::source::Span;

/// A part of a policy that may be fully known, partly known, or unknown.
#[derive(Debug, Clone, PartialEq)]
pub enum Tri<T> {
    /// Fully known.
    Known(T),
    /// Some elements are known (they are in `T`); others are unknown, for the given reason.
    Partial(T, String),
    /// Nothing is known, for the given reason.
    Unknown(String),
}

impl<T> Tri<T> {
    /// The known part (complete or not).
    pub fn known(&self) -> Option<&T> {
        match self {
            Tri::Known(t) | Tri::Partial(t, _) => Some(t),
            Tri::Unknown(_) => None,
        }
    }

    /// The value when it is completely known.
    pub fn complete(&self) -> Option<&T> {
        match self {
            Tri::Known(t) => Some(t),
            _ => None,
        }
    }

    pub fn is_complete(&self) -> bool {
        matches!(self, Tri::Known(_))
    }

    /// Why (part of) the value is unknown.
    pub fn unknown_reason(&self) -> Option<&str> {
        match self {
            Tri::Known(_) => None,
            Tri::Partial(_, r) | Tri::Unknown(r) => Some(r),
        }
    }
}

impl Tri<Vec<String>> {
    /// The known elements (empty when nothing is known).
    pub fn items(&self) -> &[String] {
        self.known().map(Vec::as_slice).unwrap_or_default()
    }

    /// Known and empty: the element is absent from the statement.
    pub fn is_empty_known(&self) -> bool {
        matches!(self, Tri::Known(v) if v.is_empty())
    }

    /// `Some(true)` when a known element satisfies `f`, `Some(false)` when all elements are
    /// known and none does, `None` otherwise.
    pub fn any(&self, f: impl Fn(&str) -> bool) -> Option<bool> {
        if self.items().iter().any(|s| f(s)) {
            Some(true)
        } else if self.is_complete() {
            Some(false)
        } else {
            None
        }
    }
}

/// `Effect` of a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// Principals by type (`AWS`, `Service`, `Federated`, `CanonicalUser`). `"Principal": "*"`
/// is stored as `AWS: ["*"]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Principals(pub BTreeMap<String, Tri<Vec<String>>>);

impl Principals {
    /// The identifiers of one type (`AWS`, `Service`, …).
    pub fn get(&self, kind: &str) -> Option<&Tri<Vec<String>>> {
        self.0.get(kind)
    }

    fn add(&mut self, kind: String, ids: Tri<Vec<String>>) {
        let merged = match self.0.remove(&kind) {
            None => ids,
            Some(old) => merge_lists(old, ids),
        };
        self.0.insert(kind, merged);
    }
}

/// One condition: `"StringEquals": {"aws:SourceVpc": ["vpc-1"]}` becomes operator
/// `StringEquals`, key `aws:SourceVpc`, values `["vpc-1"]`. Values are strings (`false`
/// becomes `"false"`).
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub operator: String,
    pub key: String,
    pub values: Tri<Vec<String>>,
}

/// One normalized statement. Absent `Action`/`Resource`/… elements are empty known lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sid: Option<String>,
    pub effect: Tri<Effect>,
    pub actions: Tri<Vec<String>>,
    pub not_actions: Tri<Vec<String>>,
    pub resources: Tri<Vec<String>>,
    pub not_resources: Tri<Vec<String>>,
    /// `Principal` (None when the statement has none, as in identity policies).
    pub principals: Option<Tri<Principals>>,
    /// `NotPrincipal`.
    pub not_principals: Option<Tri<Principals>>,
    pub conditions: Tri<Vec<Condition>>,
    /// The statement block, or the policy value the statement was decoded from.
    pub span: Option<Span>,
}

/// A whole policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub version: Option<String>,
    pub statements: Tri<Vec<Statement>>,
    pub span: Option<Span>,
}

// ---- matching ---------------------------------------------------------------------------

/// IAM wildcard matching: `*` matches any run of characters, `?` any one character.
pub fn wildcard_match(pattern: &str, text: &str, case_insensitive: bool) -> bool {
    let norm = |s: &str| -> Vec<char> {
        if case_insensitive {
            s.to_lowercase().chars().collect()
        } else {
            s.chars().collect()
        }
    };
    let (p, t) = (norm(pattern), norm(text));
    // Iterative glob matching with backtracking to the last `*`.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Whether the action pattern of a policy (`s3:Get*`, `*`, `iam:passrole`) matches an action
/// (`iam:PassRole`). Service prefix and action name are case-insensitive.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    wildcard_match(pattern.trim(), action.trim(), true)
}

fn is_all_actions(pattern: &str) -> bool {
    let p = pattern.trim();
    p == "*" || p == "*:*"
}

// ---- statement predicates -----------------------------------------------------------------

impl Statement {
    pub fn is_allow(&self) -> bool {
        self.effect == Tri::Known(Effect::Allow)
    }

    pub fn is_deny(&self) -> bool {
        self.effect == Tri::Known(Effect::Deny)
    }

    /// `Action: "*"` (or `*:*`). `NotAction` statements are not counted (see
    /// [`Statement::uses_not_action`]).
    pub fn allows_all_actions(&self) -> Option<bool> {
        let all = self.actions.any(is_all_actions);
        match (&self.effect, all) {
            (Tri::Known(Effect::Deny), _) => Some(false),
            (Tri::Known(Effect::Allow), a) => a,
            (_, Some(false)) => Some(false),
            _ => None,
        }
    }

    /// Whether the statement grants (Allow) or refuses (Deny) `action`, looking at `Action`
    /// and `NotAction` only (not resources or conditions).
    pub fn covers_action(&self, action: &str) -> Option<bool> {
        if !self.actions.is_empty_known() || self.not_actions.is_empty_known() {
            self.actions.any(|p| action_matches(p, action))
        } else {
            self.not_actions
                .any(|p| action_matches(p, action))
                .map(|excluded| !excluded)
        }
    }

    /// `Some(true)` when this is an Allow statement whose actions cover `action`.
    pub fn allows_action(&self, action: &str) -> Option<bool> {
        match &self.effect {
            Tri::Known(Effect::Deny) => Some(false),
            Tri::Known(Effect::Allow) => self.covers_action(action),
            _ => match self.covers_action(action) {
                Some(false) => Some(false),
                _ => None,
            },
        }
    }

    /// The statement uses `NotAction` (everything but the listed actions).
    pub fn uses_not_action(&self) -> bool {
        !self.not_actions.is_empty_known()
    }

    /// `Resource: "*"`.
    pub fn has_wildcard_resource(&self) -> Option<bool> {
        self.resources.any(|r| r.trim() == "*")
    }

    /// The principal includes everyone: `"Principal": "*"` or `{"AWS": "*"}` (conditions
    /// are not considered; see [`Statement::has_conditions`]).
    pub fn principal_is_public(&self) -> Option<bool> {
        match &self.principals {
            None => Some(false),
            Some(Tri::Unknown(_)) => None,
            Some(p) => {
                let known = p.known().expect("not unknown");
                let mut undecided = !p.is_complete();
                for (kind, ids) in &known.0 {
                    if kind == "AWS" || kind == "*" {
                        match ids.any(|id| id.trim() == "*") {
                            Some(true) => return Some(true),
                            None => undecided = true,
                            Some(false) => {}
                        }
                    }
                }
                if undecided { None } else { Some(false) }
            }
        }
    }

    /// The statement has (or may have) conditions.
    pub fn has_conditions(&self) -> Option<bool> {
        match &self.conditions {
            Tri::Known(c) => Some(!c.is_empty()),
            Tri::Partial(c, _) if !c.is_empty() => Some(true),
            _ => None,
        }
    }

    /// Conditions whose key matches `key` case-insensitively (condition keys are).
    pub fn conditions_on<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Condition> + 'a {
        self.conditions
            .known()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter(move |c| c.key.eq_ignore_ascii_case(key))
    }
}

/// Combines per-statement answers: any `Some(true)` wins, then any `None`.
fn fold_any(policy: &Policy, f: impl Fn(&Statement) -> Option<bool>) -> Option<bool> {
    let mut undecided = !policy.statements.is_complete();
    for s in policy.statements() {
        match f(s) {
            Some(true) => return Some(true),
            None => undecided = true,
            Some(false) => {}
        }
    }
    if undecided { None } else { Some(false) }
}

impl Policy {
    /// The known statements.
    pub fn statements(&self) -> impl Iterator<Item = &Statement> {
        self.statements
            .known()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
    }

    /// A statement allows `*`.
    pub fn allows_all_actions(&self) -> Option<bool> {
        fold_any(self, Statement::allows_all_actions)
    }

    /// An Allow statement covers `action` (Deny statements are not subtracted).
    pub fn allows_action(&self, action: &str) -> Option<bool> {
        fold_any(self, |s| s.allows_action(action))
    }

    /// An Allow statement has `Resource: "*"`.
    pub fn allows_on_wildcard_resource(&self) -> Option<bool> {
        fold_any(self, |s| match &s.effect {
            Tri::Known(Effect::Deny) => Some(false),
            _ => s.has_wildcard_resource(),
        })
    }

    /// An Allow statement is open to everyone.
    pub fn allows_public_principal(&self) -> Option<bool> {
        fold_any(self, |s| match &s.effect {
            Tri::Known(Effect::Deny) => Some(false),
            _ => s.principal_is_public(),
        })
    }

    fn unknown(reason: impl Into<String>, span: Option<Span>) -> Policy {
        Policy {
            version: None,
            statements: Tri::Unknown(reason.into()),
            span,
        }
    }

    /// A policy from a value: a JSON string, an already decoded map, or an Unknown.
    /// `Err` when the text is not a policy at all (invalid JSON without interpolations,
    /// wrong shape).
    pub fn from_value(v: &Value) -> Result<Policy, String> {
        match &v.kind {
            ValueKind::String(s) => Policy::from_json_str(s, v.span),
            ValueKind::Map(_) => parse_document(v, v.span),
            ValueKind::Unknown(u) => Ok(Policy::unknown(u.reason.clone(), v.span)),
            ValueKind::Null => Err("the policy is null".into()),
            _ => Err("a policy must be a JSON string or an object".into()),
        }
    }

    /// A policy from its JSON text; `${...}` leftovers make the affected parts Unknown.
    pub fn from_json_str(text: &str, span: Option<Span>) -> Result<Policy, String> {
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(json) => parse_document(&Value::from_json(&json), span),
            Err(e) if text.contains("${") => Ok(Policy::unknown(
                format!("the policy JSON contains an unresolved interpolation ({e})"),
                span,
            )),
            Err(e) => Err(format!("the policy is not valid JSON: {e}")),
        }
    }

    /// The policy a `data "aws_iam_policy_document"` object renders, from its attributes:
    /// `statement` blocks (with `principals`, `not_principals` and `condition` blocks),
    /// merged over `source_policy_documents` and under `override_policy_documents` by `sid`.
    pub fn from_policy_document(attrs: &IndexMap<String, Value>, span: Option<Span>) -> Policy {
        let mut reasons: Vec<String> = Vec::new();
        let mut statements: Vec<Statement> = Vec::new();

        let merge_docs = |key: &str, statements: &mut Vec<Statement>, reasons: &mut Vec<String>| {
            let Some(docs) = attrs.get(key) else { return };
            let docs: Vec<&Value> = match &docs.kind {
                ValueKind::List(items) => items.iter().collect(),
                ValueKind::Null => Vec::new(),
                ValueKind::Unknown(u) => {
                    reasons.push(format!("{key}: {}", u.reason));
                    Vec::new()
                }
                _ => vec![docs],
            };
            for d in docs {
                match Policy::from_value(d) {
                    Ok(p) => {
                        if let Some(r) = p.statements.unknown_reason() {
                            reasons.push(format!("{key}: {r}"));
                        }
                        for s in p.statements.known().cloned().unwrap_or_default() {
                            override_by_sid(statements, s);
                        }
                    }
                    Err(e) => reasons.push(format!("{key}: {e}")),
                }
            }
        };

        merge_docs("source_policy_documents", &mut statements, &mut reasons);
        match attrs.get("statement").map(|v| &v.kind) {
            None | Some(ValueKind::Null) => {}
            Some(ValueKind::Unknown(u)) => reasons.push(format!("statement: {}", u.reason)),
            Some(ValueKind::List(blocks)) => {
                for b in blocks {
                    match &b.kind {
                        ValueKind::Map(_) => {
                            override_by_sid(&mut statements, document_statement(b, span))
                        }
                        ValueKind::Unknown(u) => reasons.push(format!("statement: {}", u.reason)),
                        _ => reasons.push("statement: not a block".into()),
                    }
                }
            }
            Some(ValueKind::Map(_)) => {
                let b = attrs.get("statement").expect("matched");
                override_by_sid(&mut statements, document_statement(b, span));
            }
            Some(_) => reasons.push("statement: not a block".into()),
        }
        merge_docs("override_policy_documents", &mut statements, &mut reasons);

        let version = attrs
            .get("version")
            .and_then(|v| v.as_str())
            .map(String::from);
        Policy {
            version: version.or_else(|| Some("2012-10-17".into())),
            statements: if reasons.is_empty() {
                Tri::Known(statements)
            } else {
                Tri::Partial(statements, reasons.join("; "))
            },
            span,
        }
    }
}

/// The policy held by `value`, an attribute of `object` (e.g. `aws_iam_policy.policy`): a
/// JSON string, or the still-Unknown `json` of a `data "aws_iam_policy_document"` of the
/// same scope, which is then read from that object's attributes, or the Unknown string of a
/// `jsonencode` of a partly known document, whose known parts are read.
pub fn policy_of(model: &Model, object: &Object, value: &Value) -> Result<Policy, String> {
    if let Some(target) = value.as_unknown().and_then(|u| u.refers_to.as_deref())
        && let Some(i) = model.by_address(&format!("{}:{target}", object.scope))
    {
        let doc = &model.objects[i];
        if doc.type_name == "aws_iam_policy_document" {
            return Ok(Policy::from_policy_document(&doc.attrs, Some(doc.span)));
        }
    }
    // `jsonencode({...})` of a partly known document: read its known parts.
    if let Some(decoded) = value.as_unknown().and_then(|u| u.decoded.as_deref()) {
        let mut policy = Policy::from_value(decoded)?;
        policy.span = value.span.or(decoded.span);
        return Ok(policy);
    }
    Policy::from_value(value)
}

/// Replaces the statement with the same non-empty `sid`, or appends.
fn override_by_sid(statements: &mut Vec<Statement>, s: Statement) {
    if let Some(sid) = s.sid.as_deref().filter(|x| !x.is_empty())
        && let Some(slot) = statements
            .iter_mut()
            .find(|x| x.sid.as_deref() == Some(sid))
    {
        *slot = s;
        return;
    }
    statements.push(s);
}

// ---- decoding -------------------------------------------------------------------------

const INTERPOLATION: &str = "contains an unresolved interpolation";

fn has_interpolation(s: &str) -> bool {
    s.contains("${")
}

/// A scalar as a string, or why it is unknown.
fn scalar(v: &Value) -> Result<String, String> {
    match &v.kind {
        ValueKind::String(s) if has_interpolation(s) => Err(format!("{s:?} {INTERPOLATION}")),
        ValueKind::String(s) => Ok(s.clone()),
        ValueKind::Number(n) => Ok(if n.fract() == 0.0 && n.abs() < 9e15 {
            format!("{}", *n as i64)
        } else {
            n.to_string()
        }),
        ValueKind::Bool(b) => Ok(b.to_string()),
        ValueKind::Unknown(u) => Err(u.reason.clone()),
        ValueKind::Null => Err("null".into()),
        _ => Err("not a string".into()),
    }
}

/// A string or a list of strings (absent → empty).
fn str_list(v: Option<&Value>) -> Tri<Vec<String>> {
    let Some(v) = v else {
        return Tri::Known(Vec::new());
    };
    match &v.kind {
        ValueKind::Null => Tri::Known(Vec::new()),
        ValueKind::Unknown(u) => Tri::Unknown(u.reason.clone()),
        ValueKind::List(items) => {
            let mut known = Vec::new();
            let mut reason = None;
            for item in items {
                match item.kind {
                    ValueKind::List(_) => match str_list(Some(item)) {
                        Tri::Known(k) => known.extend(k),
                        Tri::Partial(k, r) => {
                            known.extend(k);
                            reason.get_or_insert(r);
                        }
                        Tri::Unknown(r) => {
                            reason.get_or_insert(r);
                        }
                    },
                    _ => match scalar(item) {
                        Ok(s) => known.push(s),
                        Err(r) => {
                            reason.get_or_insert(r);
                        }
                    },
                }
            }
            match reason {
                None => Tri::Known(known),
                Some(r) => Tri::Partial(known, r),
            }
        }
        _ => match scalar(v) {
            Ok(s) => Tri::Known(vec![s]),
            Err(r) => Tri::Unknown(r),
        },
    }
}

fn merge_lists(a: Tri<Vec<String>>, b: Tri<Vec<String>>) -> Tri<Vec<String>> {
    let reason = a.unknown_reason().or(b.unknown_reason()).map(String::from);
    let mut items = a.items().to_vec();
    items.extend(b.items().iter().cloned());
    match reason {
        None => Tri::Known(items),
        Some(r) => Tri::Partial(items, r),
    }
}

fn parse_effect(v: Option<&Value>, default: Option<Effect>) -> Tri<Effect> {
    let v = match v {
        Some(v) if !v.is_null() => v,
        _ => {
            return default.map_or_else(
                || Tri::Unknown("the statement has no Effect".into()),
                Tri::Known,
            );
        }
    };
    match scalar(v) {
        Ok(s) if s.eq_ignore_ascii_case("allow") => Tri::Known(Effect::Allow),
        Ok(s) if s.eq_ignore_ascii_case("deny") => Tri::Known(Effect::Deny),
        Ok(s) => Tri::Unknown(format!("invalid Effect {s:?}")),
        Err(r) => Tri::Unknown(r),
    }
}

/// `"*"` or `{"AWS": …, "Service": …}` from policy JSON.
fn json_principals(v: &Value) -> Tri<Principals> {
    match &v.kind {
        ValueKind::Unknown(u) => Tri::Unknown(u.reason.clone()),
        ValueKind::Map(m) => {
            let mut p = Principals::default();
            let mut reason = None;
            for (kind, ids) in m {
                if has_interpolation(kind) {
                    reason
                        .get_or_insert_with(|| format!("principal type {kind:?} {INTERPOLATION}"));
                    continue;
                }
                let ids = str_list(Some(ids));
                if kind == "*" {
                    p.add("AWS".into(), ids);
                } else {
                    p.add(kind.clone(), ids);
                }
            }
            match reason {
                None => Tri::Known(p),
                Some(r) => Tri::Partial(p, r),
            }
        }
        _ => match scalar(v) {
            Ok(s) if s.trim() == "*" => {
                let mut p = Principals::default();
                p.add("AWS".into(), Tri::Known(vec!["*".into()]));
                Tri::Known(p)
            }
            Ok(s) => Tri::Unknown(format!("invalid principal {s:?}")),
            Err(r) => Tri::Unknown(r),
        },
    }
}

/// `{"StringEquals": {"aws:SourceVpc": "vpc-1"}}` from policy JSON.
fn json_conditions(v: Option<&Value>) -> Tri<Vec<Condition>> {
    let Some(v) = v else {
        return Tri::Known(Vec::new());
    };
    let m = match &v.kind {
        ValueKind::Null => return Tri::Known(Vec::new()),
        ValueKind::Unknown(u) => return Tri::Unknown(u.reason.clone()),
        ValueKind::Map(m) => m,
        _ => return Tri::Unknown("Condition is not an object".into()),
    };
    let mut out = Vec::new();
    let mut reason = None;
    for (op, body) in m {
        match &body.kind {
            ValueKind::Map(keys) => {
                for (key, values) in keys {
                    out.push(Condition {
                        operator: op.clone(),
                        key: key.clone(),
                        values: str_list(Some(values)),
                    });
                }
            }
            ValueKind::Unknown(u) => {
                reason.get_or_insert(format!("condition {op}: {}", u.reason));
            }
            _ => {
                reason.get_or_insert(format!("condition {op} is not an object"));
            }
        }
    }
    match reason {
        None => Tri::Known(out),
        Some(r) => Tri::Partial(out, r),
    }
}

fn opt_sid(v: Option<&Value>) -> Option<String> {
    v.and_then(|v| scalar(v).ok()).filter(|s| !s.is_empty())
}

/// One statement of policy JSON.
fn json_statement(v: &Value, span: Option<Span>) -> Statement {
    let get = |k: &str| v.get(k);
    Statement {
        sid: opt_sid(get("Sid")),
        effect: parse_effect(get("Effect"), None),
        actions: str_list(get("Action")),
        not_actions: str_list(get("NotAction")),
        resources: str_list(get("Resource")),
        not_resources: str_list(get("NotResource")),
        principals: get("Principal")
            .filter(|p| !p.is_null())
            .map(json_principals),
        not_principals: get("NotPrincipal")
            .filter(|p| !p.is_null())
            .map(json_principals),
        conditions: json_conditions(get("Condition")),
        span: v.span.or(span),
    }
}

/// A decoded policy document (`{"Version": …, "Statement": …}`).
fn parse_document(doc: &Value, span: Option<Span>) -> Result<Policy, String> {
    let m = doc
        .as_map()
        .ok_or("a policy document must be a JSON object")?;
    let version = m.get("Version").and_then(|v| scalar(v).ok());
    let statements = match m.get("Statement").map(|s| &s.kind) {
        None | Some(ValueKind::Null) => Tri::Known(Vec::new()),
        Some(ValueKind::Unknown(u)) => Tri::Unknown(u.reason.clone()),
        Some(ValueKind::Map(_)) => Tri::Known(vec![json_statement(
            m.get("Statement").expect("matched"),
            span,
        )]),
        Some(ValueKind::List(items)) => {
            let mut out = Vec::new();
            let mut reason = None;
            for item in items {
                match &item.kind {
                    ValueKind::Map(_) => out.push(json_statement(item, span)),
                    ValueKind::Unknown(u) => {
                        reason.get_or_insert(u.reason.clone());
                    }
                    ValueKind::String(s) if has_interpolation(s) => {
                        reason.get_or_insert(format!("a statement {INTERPOLATION}"));
                    }
                    _ => return Err("a policy statement must be an object".into()),
                }
            }
            match reason {
                None => Tri::Known(out),
                Some(r) => Tri::Partial(out, r),
            }
        }
        Some(_) => return Err("Statement must be an object or a list of objects".into()),
    };
    Ok(Policy {
        version,
        statements,
        span,
    })
}

/// `principals { type = "AWS" identifiers = [...] }` blocks of the data source.
fn document_principals(v: Option<&Value>) -> Option<Tri<Principals>> {
    let v = v?;
    let blocks: Vec<&Value> = match &v.kind {
        ValueKind::Null => return None,
        ValueKind::Unknown(u) => return Some(Tri::Unknown(u.reason.clone())),
        ValueKind::List(items) if items.is_empty() => return None,
        ValueKind::List(items) => items.iter().collect(),
        _ => vec![v],
    };
    let mut p = Principals::default();
    let mut reason = None;
    for b in blocks {
        let kind = b.get("type").map(scalar);
        let ids = str_list(b.get("identifiers"));
        match kind {
            Some(Ok(k)) if k == "*" => p.add("AWS".into(), ids),
            Some(Ok(k)) => p.add(k, ids),
            Some(Err(r)) => {
                reason.get_or_insert(format!("principal type: {r}"));
            }
            None if b.is_unknown() => {
                reason.get_or_insert(b.as_unknown().map(|u| u.reason.clone()).unwrap_or_default());
            }
            None => {
                reason.get_or_insert("a principals block has no type".into());
            }
        }
    }
    Some(match reason {
        None => Tri::Known(p),
        Some(r) => Tri::Partial(p, r),
    })
}

/// `condition { test variable values }` blocks of the data source.
fn document_conditions(v: Option<&Value>) -> Tri<Vec<Condition>> {
    let Some(v) = v else {
        return Tri::Known(Vec::new());
    };
    let blocks: Vec<&Value> = match &v.kind {
        ValueKind::Null => return Tri::Known(Vec::new()),
        ValueKind::Unknown(u) => return Tri::Unknown(u.reason.clone()),
        ValueKind::List(items) => items.iter().collect(),
        _ => vec![v],
    };
    let mut out = Vec::new();
    let mut reason = None;
    for b in blocks {
        match (b.get("test").map(scalar), b.get("variable").map(scalar)) {
            (Some(Ok(operator)), Some(Ok(key))) => out.push(Condition {
                operator,
                key,
                values: str_list(b.get("values")),
            }),
            (Some(Err(r)), _) | (_, Some(Err(r))) => {
                reason.get_or_insert(r);
            }
            _ => {
                let r = b
                    .as_unknown()
                    .map(|u| u.reason.clone())
                    .unwrap_or_else(|| "a condition block lacks test or variable".into());
                reason.get_or_insert(r);
            }
        }
    }
    match reason {
        None => Tri::Known(out),
        Some(r) => Tri::Partial(out, r),
    }
}

/// One `statement` block of the data source (effect defaults to Allow).
fn document_statement(b: &Value, span: Option<Span>) -> Statement {
    let get = |k: &str| b.get(k);
    Statement {
        sid: opt_sid(get("sid")),
        effect: parse_effect(get("effect"), Some(Effect::Allow)),
        actions: str_list(get("actions")),
        not_actions: str_list(get("not_actions")),
        resources: str_list(get("resources")),
        not_resources: str_list(get("not_resources")),
        principals: document_principals(get("principals")),
        not_principals: document_principals(get("not_principals")),
        conditions: document_conditions(get("condition")),
        span: b.span.or(span),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::source::FileId;

    fn policy(text: &str) -> Policy {
        Policy::from_json_str(text, None).expect("valid policy")
    }

    fn known(items: &[&str]) -> Tri<Vec<String>> {
        Tri::Known(items.iter().map(|s| s.to_string()).collect())
    }

    /// A data source's attributes from JSON, with `{"$unknown": r}` as Unknown.
    fn attrs(j: serde_json::Value) -> IndexMap<String, Value> {
        fn conv(j: &serde_json::Value) -> Value {
            match j {
                serde_json::Value::Object(m) if m.contains_key("$unknown") => {
                    Value::unknown(m["$unknown"].as_str().unwrap_or_default())
                }
                serde_json::Value::Array(a) => Value::list(a.iter().map(conv).collect()),
                serde_json::Value::Object(m) => {
                    Value::map(m.iter().map(|(k, v)| (k.clone(), conv(v))).collect())
                }
                other => Value::from_json(other),
            }
        }
        conv(&j).as_map().cloned().expect("object")
    }

    #[test]
    fn wildcard_matching() {
        let cases = [
            ("*", "iam:PassRole", true),
            ("iam:*", "iam:PassRole", true),
            ("IAM:passrole", "iam:PassRole", true),
            ("iam:Pass*", "iam:PassRole", true),
            ("iam:P?ssRole", "iam:PassRole", true),
            ("iam:Pass?", "iam:PassRole", false),
            ("s3:*", "iam:PassRole", false),
            ("iam:*Role", "iam:PassRole", true),
            ("*:*", "ec2:RunInstances", true),
            ("ec2:*Instances", "ec2:RunInstances", true),
            ("ec2:Run*s*", "ec2:RunInstances", true),
            ("ec2:Describe*", "ec2:RunInstances", false),
            ("", "iam:PassRole", false),
            ("iam:PassRole", "iam:PassRoles", false),
        ];
        for (pattern, action, want) in cases {
            assert_eq!(
                action_matches(pattern, action),
                want,
                "{pattern} vs {action}"
            );
        }
        // Resources are case-sensitive.
        assert!(wildcard_match(
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::bucket/key",
            false
        ));
        assert!(!wildcard_match(
            "arn:aws:s3:::Bucket/*",
            "arn:aws:s3:::bucket/key",
            false
        ));
    }

    #[test]
    fn admin_policy_from_json() {
        let p = policy(
            r#"{"Version": "2012-10-17", "Statement": [
                {"Sid": "Admin", "Effect": "Allow", "Action": "*", "Resource": "*"}
            ]}"#,
        );
        assert_eq!(p.version.as_deref(), Some("2012-10-17"));
        let s: Vec<_> = p.statements().collect();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].sid.as_deref(), Some("Admin"));
        assert!(s[0].is_allow());
        assert_eq!(s[0].actions, known(&["*"]));
        assert_eq!(s[0].resources, known(&["*"]));
        assert_eq!(s[0].allows_all_actions(), Some(true));
        assert_eq!(s[0].has_wildcard_resource(), Some(true));
        assert_eq!(s[0].principal_is_public(), Some(false));
        assert_eq!(s[0].principals, None);
        assert_eq!(s[0].has_conditions(), Some(false));
        assert_eq!(p.allows_all_actions(), Some(true));
        assert_eq!(p.allows_action("iam:PassRole"), Some(true));
        assert_eq!(p.allows_on_wildcard_resource(), Some(true));
    }

    #[test]
    fn single_statement_object_and_lists() {
        let p = policy(
            r#"{"Statement": {"Effect": "Deny", "Action": ["s3:GetObject", "s3:PutObject"],
                "NotResource": ["arn:aws:s3:::a/*"]}}"#,
        );
        let s = p.statements().next().unwrap();
        assert!(s.is_deny());
        assert_eq!(s.actions, known(&["s3:GetObject", "s3:PutObject"]));
        assert_eq!(s.not_resources, known(&["arn:aws:s3:::a/*"]));
        assert_eq!(s.resources, known(&[]));
        assert_eq!(s.allows_all_actions(), Some(false));
        assert_eq!(s.allows_action("s3:getobject"), Some(false));
        assert_eq!(s.covers_action("s3:getobject"), Some(true));
        assert_eq!(p.allows_all_actions(), Some(false));
    }

    #[test]
    fn limited_policy_does_not_allow_everything() {
        let p = policy(
            r#"{"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]}
            ]}"#,
        );
        assert_eq!(p.allows_all_actions(), Some(false));
        assert_eq!(p.allows_action("s3:GetObject"), Some(true));
        assert_eq!(p.allows_action("iam:PassRole"), Some(false));
        assert_eq!(p.allows_on_wildcard_resource(), Some(false));
        assert_eq!(p.allows_public_principal(), Some(false));
    }

    #[test]
    fn not_action() {
        let p = policy(
            r#"{"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}"#,
        );
        let s = p.statements().next().unwrap();
        assert!(s.uses_not_action());
        assert_eq!(s.allows_action("iam:PassRole"), Some(false));
        assert_eq!(s.allows_action("s3:GetObject"), Some(true));
        assert_eq!(s.allows_all_actions(), Some(false));
    }

    #[test]
    fn principals() {
        let p = policy(
            r#"{"Statement": [
                {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
                {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::123456789012:root", "*"]}, "Action": "sts:AssumeRole"},
                {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"},
                {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:user/a"}, "Action": "*", "Resource": "*"}
            ]}"#,
        );
        let s: Vec<_> = p.statements().collect();
        let aws = |i: usize| {
            s[i].principals
                .as_ref()
                .and_then(|p| p.complete())
                .and_then(|p| p.get("AWS"))
                .cloned()
        };
        assert_eq!(aws(0), Some(known(&["*"])));
        assert_eq!(s[0].principal_is_public(), Some(true));
        assert_eq!(s[1].principal_is_public(), Some(true));
        assert_eq!(aws(1).unwrap().items().len(), 2);
        assert_eq!(s[2].principal_is_public(), Some(false));
        assert_eq!(
            s[2].principals
                .as_ref()
                .and_then(|p| p.complete())
                .and_then(|p| p.get("Service")),
            Some(&known(&["ec2.amazonaws.com"]))
        );
        assert_eq!(s[3].principals, None);
        assert!(s[3].not_principals.is_some());
        assert_eq!(p.allows_public_principal(), Some(true));
    }

    #[test]
    fn conditions() {
        let p = policy(
            r#"{"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                "Condition": {"Bool": {"aws:SecureTransport": false},
                              "StringNotEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2"]},
                              "NumericLessThan": {"s3:TlsVersion": 1.2}}}]}"#,
        );
        let s = p.statements().next().unwrap();
        let c = s.conditions.complete().unwrap();
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].operator, "Bool");
        assert_eq!(c[0].key, "aws:SecureTransport");
        assert_eq!(c[0].values, known(&["false"]));
        assert_eq!(c[1].values, known(&["vpce-1", "vpce-2"]));
        assert_eq!(c[2].values, known(&["1.2"]));
        assert_eq!(s.has_conditions(), Some(true));
        assert_eq!(s.conditions_on("AWS:securetransport").count(), 1);
    }

    #[test]
    fn interpolation_leftovers_are_unknown_parts() {
        let p = policy(
            r#"{"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "${var.extra_action}"],
                "Resource": "${aws_s3_bucket.b.arn}/*",
                "Principal": {"AWS": "${var.principal}"}}]}"#,
        );
        let s = p.statements().next().unwrap();
        assert!(
            matches!(&s.actions, Tri::Partial(k, r) if k == &["s3:GetObject"] && r.contains("interpolation"))
        );
        assert!(matches!(&s.resources, Tri::Unknown(r) if r.contains("interpolation")));
        // A known `*` is not there, and the unknown action could be anything.
        assert_eq!(s.allows_all_actions(), None);
        assert_eq!(s.allows_action("s3:GetObject"), Some(true));
        assert_eq!(s.allows_action("iam:PassRole"), None);
        assert_eq!(s.has_wildcard_resource(), None);
        assert_eq!(s.principal_is_public(), None);
        assert_eq!(p.allows_all_actions(), None);

        // A leftover that breaks the JSON itself makes the whole policy Unknown.
        let p = Policy::from_json_str(r#"{"Statement": ${jsonencode(local.s)}}"#, None).unwrap();
        assert!(matches!(p.statements, Tri::Unknown(_)));
        assert_eq!(p.allows_all_actions(), None);
    }

    #[test]
    fn a_known_star_decides_despite_unknown_parts() {
        let p = policy(
            r#"{"Statement": [{"Effect": "Allow", "Action": ["*", "${var.a}"], "Resource": ["${var.r}", "*"]}]}"#,
        );
        let s = p.statements().next().unwrap();
        assert_eq!(s.allows_all_actions(), Some(true));
        assert_eq!(s.has_wildcard_resource(), Some(true));
    }

    #[test]
    fn invalid_and_unknown_inputs() {
        assert!(Policy::from_json_str("{not json", None).is_err());
        assert!(Policy::from_json_str("[1, 2]", None).is_err());
        assert!(Policy::from_json_str(r#"{"Statement": [1]}"#, None).is_err());
        assert!(Policy::from_value(&Value::null()).is_err());
        assert!(Policy::from_value(&Value::number(1.0)).is_err());
        let p = Policy::from_value(&Value::unknown("data.x.json is computed")).unwrap();
        assert_eq!(
            p.statements.unknown_reason(),
            Some("data.x.json is computed")
        );
        assert_eq!(p.allows_public_principal(), None);
        // Missing or unusual Effect.
        let p = policy(r#"{"Statement": [{"Action": "*", "Resource": "*"}]}"#);
        let s = p.statements().next().unwrap();
        assert!(matches!(s.effect, Tri::Unknown(_)));
        assert_eq!(s.allows_all_actions(), None);
        let p = policy(r#"{"Statement": [{"Effect": "Deny", "Action": "${var.a}"}]}"#);
        assert_eq!(p.allows_all_actions(), Some(false));
        // No statements at all.
        assert_eq!(
            policy(r#"{"Version": "2012-10-17"}"#).allows_all_actions(),
            Some(false)
        );
    }

    #[test]
    fn from_value_keeps_the_span() {
        let span = Span::new(FileId(2), 10, 90);
        let v =
            Value::string(r#"{"Statement": [{"Effect": "Allow", "Action": "*"}]}"#).with_span(span);
        let p = Policy::from_value(&v).unwrap();
        assert_eq!(p.span, Some(span));
        assert_eq!(p.statements().next().unwrap().span, Some(span));
        // A decoded map works as well.
        let m = Value::from_json(&json!({"Statement": [{"Effect": "Allow", "Action": "iam:*"}]}));
        let p = Policy::from_value(&m).unwrap();
        assert_eq!(p.allows_action("iam:CreateUser"), Some(true));
    }

    #[test]
    fn jsonencode_output_is_a_policy() {
        use crate::eval::functions::{FunctionContext, call};
        let doc = Value::from_json(&json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ["iam:PassRole"], "Resource": "*",
                           "Principal": {"Service": ["lambda.amazonaws.com"]}}]
        }));
        let ctx = FunctionContext {
            module_dir: std::path::Path::new("."),
            allowed_roots: &[],
        };
        let text = call("jsonencode", vec![doc], &ctx).unwrap();
        let p = Policy::from_value(&text).unwrap();
        assert_eq!(p.allows_action("iam:passrole"), Some(true));
        assert_eq!(p.allows_on_wildcard_resource(), Some(true));
        assert_eq!(p.allows_public_principal(), Some(false));
    }

    #[test]
    fn policy_document_data_source() {
        let a = attrs(json!({
            "statement": [
                {"sid": "Read", "actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::b/*"],
                 "principals": [{"type": "AWS", "identifiers": ["arn:aws:iam::1:root"]},
                                {"type": "AWS", "identifiers": ["arn:aws:iam::2:root"]}],
                 "condition": [{"test": "StringEquals", "variable": "aws:PrincipalOrgID", "values": ["o-1"]}]},
                {"effect": "Deny", "not_actions": ["s3:*"], "resources": ["*"],
                 "principals": [{"type": "*", "identifiers": ["*"]}]}
            ]
        }));
        let span = Some(Span::new(FileId(1), 0, 5));
        let p = Policy::from_policy_document(&a, span);
        assert!(p.statements.is_complete());
        let s: Vec<_> = p.statements().collect();
        assert_eq!(s.len(), 2);
        assert!(s[0].is_allow(), "effect defaults to Allow");
        assert_eq!(s[0].sid.as_deref(), Some("Read"));
        assert_eq!(
            s[0].principals
                .as_ref()
                .and_then(|p| p.complete())
                .and_then(|p| p.get("AWS")),
            Some(&known(&["arn:aws:iam::1:root", "arn:aws:iam::2:root"]))
        );
        let c = s[0].conditions.complete().unwrap();
        assert_eq!(
            (c[0].operator.as_str(), c[0].key.as_str()),
            ("StringEquals", "aws:PrincipalOrgID")
        );
        assert_eq!(c[0].values, known(&["o-1"]));
        assert!(s[1].is_deny());
        assert_eq!(s[1].not_actions, known(&["s3:*"]));
        assert_eq!(s[1].principal_is_public(), Some(true));
        assert_eq!(s[1].span, span);
        assert_eq!(
            p.allows_public_principal(),
            Some(false),
            "the public statement denies"
        );
        assert_eq!(p.allows_action("s3:GetObject"), Some(true));
        assert_eq!(p.allows_all_actions(), Some(false));
    }

    #[test]
    fn policy_document_single_strings_and_unknowns() {
        let a = attrs(json!({
            "statement": [
                {"actions": "iam:*", "resources": {"$unknown": "aws_iam_role.r.arn is computed"},
                 "principals": [{"type": "Service", "identifiers": {"$unknown": "var.services"}}],
                 "condition": {"$unknown": "dynamic block over var.conditions"}}
            ]
        }));
        let p = Policy::from_policy_document(&a, None);
        let s = p.statements().next().unwrap();
        assert_eq!(s.actions, known(&["iam:*"]));
        assert_eq!(
            s.resources,
            Tri::Unknown("aws_iam_role.r.arn is computed".into())
        );
        assert_eq!(s.has_wildcard_resource(), None);
        assert_eq!(
            s.principal_is_public(),
            Some(false),
            "a Service principal is not public"
        );
        assert_eq!(
            s.conditions,
            Tri::Unknown("dynamic block over var.conditions".into())
        );
        assert_eq!(s.has_conditions(), None);
        assert_eq!(s.allows_action("iam:PassRole"), Some(true));

        let a = attrs(json!({"statement": {"$unknown": "dynamic statements"}}));
        let p = Policy::from_policy_document(&a, None);
        assert!(
            matches!(&p.statements, Tri::Partial(v, r) if v.is_empty() && r.contains("dynamic statements"))
        );
        assert_eq!(p.allows_all_actions(), None);

        let a =
            attrs(json!({"statement": [{"effect": {"$unknown": "var.effect"}, "actions": ["*"]}]}));
        let p = Policy::from_policy_document(&a, None);
        assert_eq!(p.allows_all_actions(), None);
    }

    #[test]
    fn policy_of_follows_a_policy_document_reference() {
        use crate::ir::{ObjectKind, Unknown};
        use crate::source::SourceMap;
        let span = Span::new(FileId(0), 0, 10);
        let mut doc = Object::new(
            ObjectKind::Data,
            "aws_iam_policy_document",
            "admin",
            "data.aws_iam_policy_document.admin",
            ".",
            span,
        );
        doc.attrs = attrs(json!({"statement": [{"actions": ["*"], "resources": ["*"]}]}));
        let role = Object::new(
            ObjectKind::Resource,
            "aws_iam_policy",
            "p",
            "aws_iam_policy.p",
            ".",
            span,
        );
        let model = Model::new(SourceMap::default(), vec![doc, role.clone()], Vec::new());
        let json_ref = Value::new(
            ValueKind::Unknown(Unknown::reference(
                "data source attribute is computed",
                "data.aws_iam_policy_document.admin",
            )),
            None,
        );
        let p = policy_of(&model, &role, &json_ref).unwrap();
        assert_eq!(p.allows_all_actions(), Some(true));
        assert_eq!(p.span, Some(span));
        // Other Unknowns stay Unknown; strings are parsed.
        let other = Value::new(
            ValueKind::Unknown(Unknown::reference("computed", "aws_s3_bucket.b")),
            None,
        );
        assert_eq!(
            policy_of(&model, &role, &other)
                .unwrap()
                .allows_all_actions(),
            None
        );
        let text = Value::string(r#"{"Statement": {"Effect": "Allow", "Action": "s3:*"}}"#);
        let p = policy_of(&model, &role, &text).unwrap();
        assert_eq!(p.allows_all_actions(), Some(false));
    }

    #[test]
    fn policy_document_merges_source_and_override_by_sid() {
        let source = r#"{"Statement": [
            {"Sid": "A", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Sid": "B", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}"#;
        let over = r#"{"Statement": [{"Sid": "C", "Effect": "Deny", "Action": "*", "Resource": "*"},
            {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]}"#;
        let a = attrs(json!({
            "source_policy_documents": [source],
            "override_policy_documents": [over],
            "statement": [
                {"sid": "A", "actions": ["s3:GetObject"], "resources": ["*"]},
                {"sid": "C", "actions": ["kms:*"], "resources": ["*"]}
            ]
        }));
        let p = Policy::from_policy_document(&a, None);
        let s: Vec<_> = p.statements().collect();
        let sids: Vec<_> = s
            .iter()
            .map(|s| s.sid.clone().unwrap_or_default())
            .collect();
        assert_eq!(sids, ["A", "B", "C", ""]);
        assert_eq!(
            s[0].actions,
            known(&["s3:GetObject"]),
            "own statement overrides source"
        );
        assert!(s[2].is_deny(), "override document wins over own statement");
        assert_eq!(s[3].actions, known(&["sqs:*"]));

        let a = attrs(json!({"source_policy_documents": [{"$unknown": "data.other.json"}]}));
        let p = Policy::from_policy_document(&a, None);
        assert_eq!(p.allows_all_actions(), None);
    }
}
