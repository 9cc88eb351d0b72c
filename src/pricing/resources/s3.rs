//! S3 buckets: storage by class and requests, all from usage (Infracost's nested keys).

use crate::pricing::context::{Ctx, Tier, Unknown, tiered};
use crate::pricing::{Component, Outcome};

pub fn bucket(ctx: &Ctx) -> Result<Outcome, Unknown> {
    const TB: f64 = 1024.0;
    let std_tier = |t: &str| ctx.price("s3", "standard-storage", &format!("tier={t}"));
    let mut out = tiered(
        "Standard storage",
        "GB-month",
        ctx.usage("standard.storage_gb"),
        vec![
            Tier {
                size: 50.0 * TB,
                label: "first 50 TB",
                price: std_tier("first 50 TB"),
            },
            Tier {
                size: 450.0 * TB,
                label: "next 450 TB",
                price: std_tier("next 450 TB"),
            },
            Tier {
                size: f64::INFINITY,
                label: "over 500 TB",
                price: std_tier("over 500 TB"),
            },
        ],
    );
    out.push(Component::usage(
        "PUT, COPY, POST, LIST requests",
        "requests",
        ctx.usage("standard.monthly_tier_1_requests"),
        ctx.price("s3", "standard-put-copy-post-list-requests", ""),
    ));
    out.push(Component::usage(
        "GET, SELECT, and all other requests",
        "requests",
        ctx.usage("standard.monthly_tier_2_requests"),
        ctx.price("s3", "standard-get-and-other-requests", ""),
    ));
    // Other storage classes appear only when the usage file mentions them.
    let classes = [
        (
            "standard_infrequent_access.storage_gb",
            "Standard-IA storage",
            "standard-ia-storage",
        ),
        (
            "one_zone_infrequent_access.storage_gb",
            "One Zone-IA storage",
            "onezone-ia-storage",
        ),
        (
            "glacier_flexible_retrieval.storage_gb",
            "Glacier Flexible Retrieval storage",
            "glacier-flexible-retrieval-storage",
        ),
        (
            "glacier_deep_archive.storage_gb",
            "Glacier Deep Archive storage",
            "deep-archive-storage",
        ),
        (
            "intelligent_tiering.frequent_access_storage_gb",
            "Intelligent-Tiering frequent access storage",
            "intelligent-tiering-frequent-storage",
        ),
        (
            "intelligent_tiering.infrequent_access_storage_gb",
            "Intelligent-Tiering infrequent access storage",
            "intelligent-tiering-infrequent-storage",
        ),
    ];
    for (key, name, res) in classes {
        if let Some(q) = ctx.usage(key) {
            let price = ctx
                .price("s3", res, "")
                .or_else(|| ctx.price("s3", res, "tier=first 50 TB"));
            out.push(Component::usage(name, "GB-month", Some(q), price));
        }
    }
    Ok(Outcome::Priced(out))
}
