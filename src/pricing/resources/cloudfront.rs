//! CloudFront distributions: data transfer out to the internet (tiered) and HTTP/HTTPS
//! requests per edge geography, all from usage.

use crate::pricing::context::{Ctx, Tier, Unknown, tiered};
use crate::pricing::{Component, Outcome};

/// Infracost's usage geography keys → the price list's edge geographies.
const GEOGRAPHIES: &[(&str, &str)] = &[
    ("us", "United States"),
    ("canada", "Canada"),
    ("europe", "EU"),
    ("south_africa", "South Africa"),
    ("middle_east", "Middle East"),
    ("south_america", "South America"),
    ("japan", "Japan"),
    ("australia", "Australia"),
    ("asia_pacific", "Asia Pacific"),
    ("india", "India"),
];

pub fn distribution(ctx: &Ctx) -> Result<Outcome, Unknown> {
    const TB: f64 = 1024.0;
    let sizes: [(f64, &str, &str); 7] = [
        (10.0 * TB, "first 10 TB", "First 10 TB"),
        (40.0 * TB, "next 40 TB", "Next 40 TB"),
        (100.0 * TB, "next 100 TB", "next 100 TB"),
        (350.0 * TB, "next 350 TB", "Next 350 TB"),
        (524.0 * TB, "next 524 TB", "next 524 TB"),
        (4096.0 * TB, "next 4 PB", "Next 4 PB"),
        (f64::INFINITY, "over 5 PB", "Over 5 PB"),
    ];
    let any_usage = GEOGRAPHIES.iter().any(|(k, _)| {
        [
            "monthly_data_transfer_to_internet_gb",
            "monthly_http_requests",
            "monthly_https_requests",
        ]
        .iter()
        .any(|u| ctx.usage(&format!("{u}.{k}")).is_some())
    });
    let mut out = Vec::new();
    for (key, geo) in GEOGRAPHIES {
        // Without usage, show the United States lines as usage-based placeholders.
        let show_empty = !any_usage && *key == "us";
        let gb = ctx.usage(&format!("monthly_data_transfer_to_internet_gb.{key}"));
        if gb.is_some() || show_empty {
            let tiers = sizes
                .iter()
                .map(|(size, label, t)| Tier {
                    size: *size,
                    label,
                    price: ctx.global_price(
                        "cloudfront",
                        "data-transfer-out-to-internet",
                        &format!("edge_geography={geo};tier={t}"),
                    ),
                })
                .collect();
            out.extend(tiered(
                &format!("Data transfer out to internet ({geo})"),
                "GB",
                gb,
                tiers,
            ));
        }
        for (ukey, res, label) in [
            ("monthly_http_requests", "http-requests", "HTTP"),
            ("monthly_https_requests", "https-requests", "HTTPS"),
        ] {
            let n = ctx.usage(&format!("{ukey}.{key}"));
            if n.is_some() || (show_empty && label == "HTTPS") {
                out.push(Component::usage(
                    format!("{label} requests ({geo})"),
                    "requests",
                    n,
                    ctx.global_price("cloudfront", res, &format!("edge_geography={geo}")),
                ));
            }
        }
    }
    Ok(Outcome::Priced(out))
}
