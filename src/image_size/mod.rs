//! Static image-size estimates for Dockerfiles: the base image's published size (bundled table)
//! plus what each instruction of the final image adds (packages, caches, build-context copies,
//! copies from other stages). Every figure is a range in decimal MB, on-disk (uncompressed); a
//! part whose size cannot be known statically is listed as unknown, never counted as zero.
//! Nothing is executed: the build context is measured from file metadata. See
//! `docs/image-size.md`.

pub mod context;
pub mod estimate;
pub mod table;

pub use estimate::{Deletion, Estimate, Part, PartKind, estimate_all};

/// A size range in decimal megabytes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub lo: f64,
    pub hi: f64,
}

impl Range {
    /// `lo..=hi` (swapped if given the wrong way round).
    pub fn new(lo: f64, hi: f64) -> Self {
        if lo <= hi {
            Range { lo, hi }
        } else {
            Range { lo: hi, hi: lo }
        }
    }

    /// A known size.
    pub fn exact(v: f64) -> Self {
        Range { lo: v, hi: v }
    }

    pub fn zero() -> Self {
        Range::exact(0.0)
    }

    /// Both bounds multiplied.
    pub fn scale(self, lo: f64, hi: f64) -> Self {
        Range::new(self.lo * lo, self.hi * hi)
    }

    pub fn plus(self, o: Range) -> Self {
        Range::new(self.lo + o.lo, self.hi + o.hi)
    }

    /// `≈ 120 MB`, `≈ 1.9–2.4 GB`.
    pub fn human(self) -> String {
        let fmt = |v: f64, gb: bool| {
            if gb {
                format!("{:.1}", v / 1000.0)
            } else if v < 10.0 {
                format!("{v:.1}")
            } else {
                format!("{v:.0}")
            }
        };
        if self.hi < 0.1 {
            return "< 0.1 MB".into();
        }
        let gb = self.hi >= 1000.0;
        let unit = if gb { "GB" } else { "MB" };
        let (a, b) = (fmt(self.lo, gb), fmt(self.hi, gb));
        if a == b {
            format!("≈ {a} {unit}")
        } else {
            format!("≈ {a}–{b} {unit}")
        }
    }
}

/// KiB (as Debian's `Installed-Size`) to decimal MB.
pub fn kib_to_mb(kib: u64) -> f64 {
    kib as f64 * 1024.0 / 1_000_000.0
}
