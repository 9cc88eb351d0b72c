//! Price tables: the `pricing/*.tsv` files written by `scripts/build-pricing.py`, embedded at
//! compile time, or read from a directory given with `--pricing DIR`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// Every table infralint knows, with its bundled text.
const BUNDLED: &[(&str, &str)] = &[
    ("cloudfront", include_str!("../../pricing/cloudfront.tsv")),
    ("cloudwatch", include_str!("../../pricing/cloudwatch.tsv")),
    ("dynamodb", include_str!("../../pricing/dynamodb.tsv")),
    ("ebs", include_str!("../../pricing/ebs.tsv")),
    ("ec2", include_str!("../../pricing/ec2.tsv")),
    ("ecr", include_str!("../../pricing/ecr.tsv")),
    ("efs", include_str!("../../pricing/efs.tsv")),
    ("eks", include_str!("../../pricing/eks.tsv")),
    ("elasticache", include_str!("../../pricing/elasticache.tsv")),
    ("elb", include_str!("../../pricing/elb.tsv")),
    ("fargate", include_str!("../../pricing/fargate.tsv")),
    ("kms", include_str!("../../pricing/kms.tsv")),
    ("lambda", include_str!("../../pricing/lambda.tsv")),
    ("mq", include_str!("../../pricing/mq.tsv")),
    ("opensearch", include_str!("../../pricing/opensearch.tsv")),
    (
        "rds_instances",
        include_str!("../../pricing/rds_instances.tsv"),
    ),
    ("rds_storage", include_str!("../../pricing/rds_storage.tsv")),
    ("route53", include_str!("../../pricing/route53.tsv")),
    ("s3", include_str!("../../pricing/s3.tsv")),
    (
        "secretsmanager",
        include_str!("../../pricing/secretsmanager.tsv"),
    ),
    ("sns", include_str!("../../pricing/sns.tsv")),
    ("sqs", include_str!("../../pricing/sqs.tsv")),
    ("vpc", include_str!("../../pricing/vpc.tsv")),
];

/// Where one table's prices were read from (a snapshot of an AWS price feed) and its date.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct PriceSource {
    pub source: String,
    pub effective_date: String,
}

#[derive(Debug, Clone)]
struct Row {
    unit: String,
    usd: f64,
    source: usize,
}

/// One parsed table (one AWS service).
#[derive(Debug, Clone)]
pub struct PriceTable {
    pub name: String,
    pub sources: Vec<PriceSource>,
    /// `region\0resource\0attributes` → row.
    rows: HashMap<String, Row>,
}

/// A price found in a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Price {
    pub usd: f64,
    pub unit: String,
    pub source: PriceSource,
}

fn key(region: &str, resource: &str, attrs: &str) -> String {
    format!("{region}\0{resource}\0{attrs}")
}

impl PriceTable {
    /// Parses the TSV format documented in `scripts/build-pricing.py`.
    pub fn parse(name: &str, text: &str) -> Result<PriceTable, String> {
        let mut sources: Vec<PriceSource> = Vec::new();
        let mut attr_sets: Vec<String> = Vec::new();
        let mut rows = HashMap::new();
        let mut region: Option<String> = None;
        for (n, line) in text.lines().enumerate() {
            let err = |m: &str| format!("price table {name}, line {}: {m}", n + 1);
            if line.trim().is_empty() {
                continue;
            }
            if let Some(c) = line.strip_prefix('#') {
                let c = c.trim();
                if let Some(rest) = c.strip_prefix("source ") {
                    let (_, rest) = rest.split_once(':').ok_or_else(|| err("bad source line"))?;
                    let (src, date) = rest
                        .trim()
                        .rsplit_once(" effective_date=")
                        .ok_or_else(|| err("source line without effective_date"))?;
                    sources.push(PriceSource {
                        source: src.to_string(),
                        effective_date: date.to_string(),
                    });
                } else if let Some(rest) = c.strip_prefix("attributes ") {
                    let (_, a) = rest
                        .split_once(':')
                        .ok_or_else(|| err("bad attributes line"))?;
                    attr_sets.push(a.trim().to_string());
                }
                continue;
            }
            if let Some(r) = line.strip_prefix('@') {
                region = Some(r.trim().to_string());
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() != 5 {
                return Err(err("expected 5 tab-separated fields"));
            }
            let region = region
                .as_deref()
                .ok_or_else(|| err("row before any @region"))?;
            let attrs = f[1]
                .parse::<usize>()
                .ok()
                .and_then(|i| attr_sets.get(i))
                .ok_or_else(|| err("unknown attributes index"))?;
            let usd: f64 = f[3].parse().map_err(|_| err("bad price"))?;
            let source: usize = f[4]
                .parse()
                .ok()
                .filter(|&s| s < sources.len())
                .ok_or_else(|| err("unknown source index"))?;
            rows.insert(
                key(region, f[0], attrs),
                Row {
                    unit: f[2].to_string(),
                    usd,
                    source,
                },
            );
        }
        if sources.is_empty() {
            return Err(format!("price table {name}: no `# source` line"));
        }
        Ok(PriceTable {
            name: name.to_string(),
            sources,
            rows,
        })
    }

    pub fn lookup(&self, region: &str, resource: &str, attrs: &str) -> Option<Price> {
        self.rows.get(&key(region, resource, attrs)).map(|r| Price {
            usd: r.usd,
            unit: r.unit.clone(),
            source: self.sources[r.source].clone(),
        })
    }

    fn has_region(&self, region: &str) -> bool {
        let prefix = format!("{region}\0");
        self.rows.keys().any(|k| k.starts_with(&prefix))
    }

    pub fn row_count(&self) -> usize {
        self.rows.len()
    }
}

/// All tables of one run.
#[derive(Debug, Clone)]
pub struct PriceBook {
    tables: Arc<HashMap<String, PriceTable>>,
    /// `bundled`, or the `--pricing` directory as given.
    pub origin: String,
    regions: Vec<String>,
}

impl PriceBook {
    /// The tables compiled into the binary (parsed once per process).
    pub fn bundled() -> PriceBook {
        static BOOK: OnceLock<PriceBook> = OnceLock::new();
        BOOK.get_or_init(PriceBook::parse_bundled).clone()
    }

    fn parse_bundled() -> PriceBook {
        let tables = BUNDLED
            .iter()
            .map(|(name, text)| {
                let t = PriceTable::parse(name, text)
                    .unwrap_or_else(|e| panic!("bundled price table is invalid: {e}"));
                (name.to_string(), t)
            })
            .collect();
        PriceBook::new(tables, "bundled".to_string())
    }

    /// Tables read from `dir/<name>.tsv`; a table missing from `dir` keeps its bundled version.
    pub fn from_dir(dir: &Path) -> Result<PriceBook, String> {
        if !dir.is_dir() {
            return Err(format!("--pricing {}: not a directory", dir.display()));
        }
        let mut tables = HashMap::new();
        for (name, bundled) in BUNDLED {
            let path = dir.join(format!("{name}.tsv"));
            let table = if path.is_file() {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                PriceTable::parse(name, &text)?
            } else {
                PriceTable::parse(name, bundled)?
            };
            tables.insert(name.to_string(), table);
        }
        Ok(PriceBook::new(tables, dir.display().to_string()))
    }

    fn new(tables: HashMap<String, PriceTable>, origin: String) -> PriceBook {
        let mut regions: Vec<String> = Vec::new();
        if let Some(ec2) = tables.get("ec2") {
            let mut set: Vec<String> = ec2
                .rows
                .keys()
                .filter_map(|k| k.split('\0').next())
                .filter(|r| *r != "global")
                .map(str::to_string)
                .collect();
            set.sort();
            set.dedup();
            regions = set;
        }
        PriceBook {
            tables: Arc::new(tables),
            origin,
            regions,
        }
    }

    pub fn lookup(&self, table: &str, region: &str, resource: &str, attrs: &str) -> Option<Price> {
        self.tables.get(table)?.lookup(region, resource, attrs)
    }

    pub fn table(&self, name: &str) -> Option<&PriceTable> {
        self.tables.get(name)
    }

    /// Whether the tables hold prices for `region` (judged by the EC2 table).
    pub fn has_region(&self, region: &str) -> bool {
        self.regions.iter().any(|r| r == region)
            || self.tables.get("ec2").is_some_and(|t| t.has_region(region))
    }

    /// Regions with prices, sorted.
    pub fn regions(&self) -> &[String] {
        &self.regions
    }

    /// Table names, sorted.
    pub fn table_names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.tables.keys().map(String::as_str).collect();
        v.sort();
        v
    }
}

/// Canonical attribute string for a lookup: `key=value` pairs sorted by key, joined with `;`.
pub fn attrs(pairs: &[(&str, &str)]) -> String {
    let mut p: Vec<&(&str, &str)> = pairs.iter().collect();
    p.sort();
    p.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(";")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_tables_parse_and_cover_the_regions() {
        let book = PriceBook::bundled();
        assert_eq!(book.regions().len(), 11);
        assert!(book.has_region("eu-west-3"));
        assert!(!book.has_region("sa-east-1"));
        let p = book.lookup("ec2", "us-east-1", "t3.small", "").unwrap();
        assert_eq!(p.usd, 0.0208);
        assert_eq!(p.unit, "hour");
        assert_eq!(p.source.effective_date, "2025-11-04");
    }

    #[test]
    fn attrs_are_sorted() {
        assert_eq!(
            attrs(&[("os", "linux"), ("arch", "arm64")]),
            "arch=arm64;os=linux"
        );
    }

    #[test]
    fn parse_rejects_rows_without_sources() {
        assert!(PriceTable::parse("x", "@us-east-1\na\t0\thour\t1\t0\n").is_err());
    }
}
