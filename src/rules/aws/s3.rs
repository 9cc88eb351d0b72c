//! A merged view of each `aws_s3_bucket` with the resources that configure it.
//!
//! Since AWS provider v4, a bucket's ACL, policy, public access block and ownership controls
//! are separate resources pointing at the bucket (`bucket = aws_s3_bucket.x.id`); older code
//! still sets `acl` and `policy` on the bucket itself. [`buckets`] gathers both into one
//! [`BucketView`] per bucket, so a rule asks "what is this bucket's ACL?" once.
//!
//! A split resource belongs to a bucket when its `bucket` attribute refers to the bucket object
//! (an Unknown `refers_to` or a recorded reference, same scope), or when both bucket names are
//! known and equal (same scope). Split resources that match no bucket in the model (the bucket
//! is created elsewhere) are listed in [`S3View::orphans`] so rules can still check them on
//! their own.
//!
//! ```ignore
//! let view = aws::s3::view(model);
//! for b in &view.buckets {
//!     for acl in &b.acls { /* (object index, &Value) of the inline `acl` or aws_s3_bucket_acl */ }
//! }
//! ```

use std::collections::HashMap;

use crate::ir::{Model, Object, Value};

/// Split resource types gathered per bucket.
pub const SPLIT_TYPES: &[&str] = &[
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_acl",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_ownership_controls",
];

/// One bucket and everything that configures it.
#[derive(Debug, Clone, Default)]
pub struct BucketView<'m> {
    /// Index of the `aws_s3_bucket` object.
    pub bucket: usize,
    /// The bucket name, when known (`bucket` attribute).
    pub name: Option<&'m str>,
    /// ACLs: the bucket's inline `acl` (object = the bucket) and each `aws_s3_bucket_acl`'s
    /// `acl` attribute. The value may be Unknown. `aws_s3_bucket_acl` written with only an
    /// `access_control_policy` block has no entry here (see [`BucketView::acl_resources`]).
    pub acls: Vec<(usize, &'m Value)>,
    /// Every `aws_s3_bucket_acl` object of the bucket.
    pub acl_resources: Vec<usize>,
    /// Policies: the inline `policy` (object = the bucket) and each `aws_s3_bucket_policy`'s
    /// `policy`. Read them with [`crate::rules::iam_policy::policy_of`].
    pub policies: Vec<(usize, &'m Value)>,
    /// `aws_s3_bucket_public_access_block` objects.
    pub public_access_blocks: Vec<usize>,
    /// `aws_s3_bucket_ownership_controls` objects.
    pub ownership_controls: Vec<usize>,
}

/// All buckets, plus the split resources that belong to none of them.
#[derive(Debug, Clone, Default)]
pub struct S3View<'m> {
    pub buckets: Vec<BucketView<'m>>,
    /// Split resources (indexes) whose bucket is not in the model, or not resolvable.
    pub orphans: Vec<usize>,
}

/// The bucket object a split resource belongs to.
pub fn bucket_of(model: &Model, o: &Object) -> Option<usize> {
    let v = o.attr("bucket")?;
    let mut targets: Vec<&str> = Vec::new();
    if let Some(t) = v.as_unknown().and_then(|u| u.refers_to.as_deref()) {
        targets.push(t);
    }
    targets.extend(
        o.refs
            .iter()
            .filter(|r| r.attr == "bucket")
            .map(|r| r.target.as_str()),
    );
    if let Some(i) = targets.into_iter().find_map(|t| {
        model
            .by_address(&format!("{}:{t}", o.scope))
            .filter(|&i| model.objects[i].type_name == "aws_s3_bucket")
    }) {
        return Some(i);
    }
    let name = v.as_str()?;
    model.of_type("aws_s3_bucket").find_map(|(i, b)| {
        (b.scope == o.scope && b.attr("bucket").and_then(Value::as_str) == Some(name)).then_some(i)
    })
}

/// Builds the merged view.
pub fn view(model: &Model) -> S3View<'_> {
    let mut by_index: HashMap<usize, usize> = HashMap::new();
    let mut buckets: Vec<BucketView> = Vec::new();
    for (i, b) in model.of_type("aws_s3_bucket") {
        by_index.insert(i, buckets.len());
        let mut v = BucketView {
            bucket: i,
            name: b.attr("bucket").and_then(Value::as_str),
            ..BucketView::default()
        };
        if let Some(acl) = b.attr("acl").filter(|a| !a.is_null()) {
            v.acls.push((i, acl));
        }
        if let Some(p) = b.attr("policy").filter(|a| !a.is_null()) {
            v.policies.push((i, p));
        }
        buckets.push(v);
    }
    let mut orphans = Vec::new();
    for ty in SPLIT_TYPES {
        for (i, o) in model.of_type(ty) {
            let Some(slot) = bucket_of(model, o).and_then(|b| by_index.get(&b)) else {
                orphans.push(i);
                continue;
            };
            let v = &mut buckets[*slot];
            match *ty {
                "aws_s3_bucket_public_access_block" => v.public_access_blocks.push(i),
                "aws_s3_bucket_acl" => {
                    v.acl_resources.push(i);
                    if let Some(acl) = o.attr("acl").filter(|a| !a.is_null()) {
                        v.acls.push((i, acl));
                    }
                }
                "aws_s3_bucket_policy" => {
                    if let Some(p) = o.attr("policy").filter(|a| !a.is_null()) {
                        v.policies.push((i, p));
                    }
                }
                _ => v.ownership_controls.push(i),
            }
        }
    }
    orphans.sort_unstable();
    S3View { buckets, orphans }
}
