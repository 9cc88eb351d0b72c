//! VPC networking: NAT gateways, Elastic IPs (public IPv4) and VPC endpoints.

use crate::pricing::context::{Ctx, Tier, Unknown, tiered};
use crate::pricing::{Component, HOURS_PER_MONTH, Outcome};

pub fn nat_gateway(ctx: &Ctx) -> Result<Outcome, Unknown> {
    let mut out = vec![Component::fixed(
        "NAT gateway",
        "hours",
        HOURS_PER_MONTH,
        ctx.price("vpc", "nat-gateway-hour", ""),
    )];
    out.push(Component::usage(
        "Data processed",
        "GB",
        ctx.usage("monthly_data_processed_gb"),
        ctx.price("vpc", "nat-gateway-data-processed", ""),
    ));
    Ok(Outcome::Priced(out))
}

/// Every public IPv4 address is billed hourly since February 2024, attached or not.
pub fn eip(ctx: &Ctx) -> Result<Outcome, Unknown> {
    if let Some(pool) = ctx.str("public_ipv4_pool")?
        && pool != "amazon"
    {
        return Ok(Outcome::Free(format!(
            "address from your own pool `{pool}` (BYOIP)"
        )));
    }
    Ok(Outcome::Priced(vec![Component::fixed(
        "Public IPv4 address",
        "hours",
        HOURS_PER_MONTH,
        ctx.price("vpc", "public-ipv4-in-use-hour", ""),
    )]))
}

pub fn endpoint(ctx: &Ctx) -> Result<Outcome, Unknown> {
    let kind = ctx
        .str("vpc_endpoint_type")?
        .unwrap_or_else(|| "Gateway".to_string());
    match kind.as_str() {
        "Gateway" => Ok(Outcome::Free(
            "gateway endpoint (S3/DynamoDB): no charge".to_string(),
        )),
        "Interface" => {
            let azs = ctx
                .list_len("subnet_ids")?
                .filter(|&n| n > 0)
                .ok_or_else(|| "`subnet_ids` is not set (one charge per AZ)".to_string())?;
            let mut out = vec![Component::fixed(
                format!("Interface endpoint ({azs} AZ)"),
                "hours",
                HOURS_PER_MONTH * azs as f64,
                ctx.price("vpc", "interface-endpoint-az-hour", ""),
            )];
            let tier = |label: &str| {
                ctx.price(
                    "vpc",
                    "interface-endpoint-data-processed",
                    &format!("tier={label}"),
                )
            };
            const PB: f64 = 1024.0 * 1024.0;
            out.extend(tiered(
                "Data processed",
                "GB",
                ctx.usage("monthly_data_processed_gb"),
                vec![
                    Tier {
                        size: PB,
                        label: "first 1 PB",
                        price: tier("first 1 PB/month"),
                    },
                    Tier {
                        size: 4.0 * PB,
                        label: "next 4 PB",
                        price: tier("next 4 PB/month"),
                    },
                    Tier {
                        size: f64::INFINITY,
                        label: "over 5 PB",
                        price: tier("over 5 PB/month"),
                    },
                ],
            ));
            Ok(Outcome::Priced(out))
        }
        "GatewayLoadBalancer" => Ok(Outcome::Priced(vec![
            Component::fixed(
                "Gateway Load Balancer endpoint",
                "hours",
                HOURS_PER_MONTH,
                ctx.price("vpc", "gwlb-endpoint-hour", ""),
            ),
            Component::usage(
                "Data processed",
                "GB",
                ctx.usage("monthly_data_processed_gb"),
                ctx.price("vpc", "gwlb-endpoint-data-processed", ""),
            ),
        ])),
        other => Ok(Outcome::Priced(vec![Component::missing(
            format!("{other} endpoint"),
            "hours",
            Some(HOURS_PER_MONTH),
            "endpoint type not in the bundled tables",
        )])),
    }
}

/// Transit Gateway VPC attachment: 730 h + data processed (usage `monthly_data_processed_gb`).
pub fn transit_gateway_vpc_attachment(ctx: &Ctx) -> Result<Outcome, Unknown> {
    Ok(Outcome::Priced(vec![
        Component::fixed(
            "Transit gateway attachment",
            "hours",
            HOURS_PER_MONTH,
            ctx.price("vpc", "transit-gateway-attachment-hour", "attachment=vpc"),
        ),
        Component::usage(
            "Data processed",
            "GB",
            ctx.usage("monthly_data_processed_gb"),
            ctx.price("vpc", "transit-gateway-data-processed", "attachment=vpc"),
        ),
    ]))
}

/// Site-to-site VPN connection: 730 connection-hours.
pub fn vpn_connection(ctx: &Ctx) -> Result<Outcome, Unknown> {
    Ok(Outcome::Priced(vec![Component::fixed(
        "VPN connection",
        "hours",
        HOURS_PER_MONTH,
        ctx.price("vpc", "site-to-site-vpn-connection-hour", ""),
    )]))
}
