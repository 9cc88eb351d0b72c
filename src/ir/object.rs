//! Objects of the IR: Terraform blocks, Dockerfile stages, workflow jobs and steps.

use indexmap::IndexMap;
use serde::Serialize;

use super::value::Value;
use crate::source::Span;

/// What an [`Object`] stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    /// Terraform `resource` block instance.
    Resource,
    /// Terraform `data` block instance.
    Data,
    /// Terraform `module` call (instance).
    Module,
    /// Terraform `provider` block.
    Provider,
    /// A whole Dockerfile (type `dockerfile`).
    Dockerfile,
    /// One `FROM` stage of a Dockerfile (type `docker_stage`).
    DockerStage,
    /// A workflow file (type `gha_workflow`).
    Workflow,
    /// A job of a workflow (type `gha_job`).
    Job,
    /// A step of a job or of a composite action (type `gha_step`).
    Step,
    /// An action metadata file, `action.yml` (type `gha_action`).
    Action,
}

/// A reference from one object to another, e.g. `bucket = aws_s3_bucket.logs.id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    /// Dotted attribute path where the reference is written (`bucket`, `ingress.0.security_groups`).
    pub attr: String,
    /// Address of the referenced object, module-qualified, without instance key when the
    /// reference names the whole resource (`module.net.aws_vpc.this`).
    pub target: String,
}

/// One object of the IR.
#[derive(Debug, Clone)]
pub struct Object {
    pub kind: ObjectKind,
    /// `aws_security_group`, `docker_stage`, `gha_job`, …
    pub type_name: String,
    /// Block label or stage/job/step name.
    pub name: String,
    /// Unique address within the run's file or module tree: `module.net.aws_subnet.private["a"]`,
    /// `jobs.build.steps[2]`, `stage[1]`.
    pub address: String,
    /// Where the address is unique: the root module directory for Terraform objects
    /// (`envs/prod`, `.`), the file's display path for the others.
    pub scope: String,
    /// The whole block, stage, job or step.
    pub span: Span,
    /// Attributes; nested blocks are lists of maps under the block type.
    pub attrs: IndexMap<String, Value>,
    /// Index (in [`super::Model::objects`]) of the enclosing object: a step's job, a job's
    /// workflow, a stage's Dockerfile.
    pub parent: Option<usize>,
    /// Terraform: module path (`""` for the root module, `module.a.module.b` below).
    pub module: String,
    /// Terraform: the provider configuration this object uses (`aws`, `aws.west`).
    pub provider: Option<String>,
    /// References to other objects found while evaluating attributes.
    pub refs: Vec<Reference>,
}

impl Object {
    /// A new object with empty attributes and no Terraform metadata.
    pub fn new(
        kind: ObjectKind,
        type_name: impl Into<String>,
        name: impl Into<String>,
        address: impl Into<String>,
        scope: impl Into<String>,
        span: Span,
    ) -> Self {
        Object {
            kind,
            type_name: type_name.into(),
            name: name.into(),
            address: address.into(),
            scope: scope.into(),
            span,
            attrs: IndexMap::new(),
            parent: None,
            module: String::new(),
            provider: None,
            refs: Vec::new(),
        }
    }

    /// `scope:address`, unique across the run.
    pub fn qualified_address(&self) -> String {
        format!("{}:{}", self.scope, self.address)
    }

    pub fn attr(&self, key: &str) -> Option<&Value> {
        self.attrs.get(key)
    }

    /// Follows a dotted path from the attributes (`root_block_device.0.encrypted`).
    pub fn attr_path(&self, path: &str) -> Option<&Value> {
        let (head, rest) = match path.split_once('.') {
            Some((h, r)) => (h, Some(r)),
            None => (path, None),
        };
        let v = self.attrs.get(head)?;
        match rest {
            Some(r) => v.get_path(r),
            None => Some(v),
        }
    }

    /// The span to point at for an attribute: the attribute's value when it has one,
    /// else the whole object.
    pub fn span_of(&self, path: &str) -> Span {
        self.attr_path(path)
            .and_then(|v| v.span)
            .unwrap_or(self.span)
    }
}
