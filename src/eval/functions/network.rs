//! IP network functions (IPv4 and IPv6), on 128-bit integer arithmetic.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;

use super::{FnResult, arity, arity_range, deep_unknown, int_arg, str_arg};
use crate::ir::Value;

/// A parsed prefix: network address (host bits cleared), prefix length and address width.
#[derive(Debug, Clone, Copy)]
struct Net {
    addr: u128,
    len: u32,
    bits: u32,
}

impl Net {
    fn parse(name: &str, s: &str) -> Result<Net, String> {
        let net: IpNet = s
            .parse()
            .map_err(|_| format!("{name}(): invalid CIDR expression: {s:?}"))?;
        let (addr, bits) = match net.network() {
            IpAddr::V4(a) => (u128::from(u32::from(a)), 32),
            IpAddr::V6(a) => (u128::from(a), 128),
        };
        Ok(Net {
            addr,
            len: u32::from(net.prefix_len()),
            bits,
        })
    }

    fn host_mask(bits: u32, len: u32) -> u128 {
        let host = bits - len;
        if host >= 128 {
            u128::MAX
        } else {
            (1u128 << host) - 1
        }
    }

    fn net_mask(bits: u32, len: u32) -> u128 {
        Net::host_mask(bits, 0) & !Net::host_mask(bits, len)
    }

    fn addr_string(&self, addr: u128) -> String {
        if self.bits == 32 {
            Ipv4Addr::from(addr as u32).to_string()
        } else {
            Ipv6Addr::from(addr).to_string()
        }
    }

    fn cidr_string(&self, addr: u128, len: u32) -> String {
        format!("{}/{len}", self.addr_string(addr))
    }
}

pub fn cidrhost(args: Vec<Value>) -> FnResult {
    arity("cidrhost", &args, 2)?;
    if let Some(u) = deep_unknown("cidrhost", &args) {
        return Ok(u);
    }
    let net = Net::parse("cidrhost", &str_arg("cidrhost", &args, 0)?)?;
    let hostnum = int_arg("cidrhost", &args, 1)?;
    let host_bits = net.bits - net.len;
    let size: Option<u128> = 1u128.checked_shl(host_bits);
    let offset: u128 = if hostnum >= 0 {
        let h = hostnum as u128;
        if size.is_some_and(|s| h >= s) {
            return Err(format!(
                "cidrhost(): prefix of {} bits cannot accommodate a host numbered {hostnum}",
                host_bits
            ));
        }
        h
    } else {
        let back = hostnum.unsigned_abs() as u128;
        match size {
            Some(s) if back > s => {
                return Err(format!(
                    "cidrhost(): prefix of {host_bits} bits cannot accommodate a host numbered {hostnum}"
                ));
            }
            Some(s) => s - back,
            None => u128::MAX - back + 1,
        }
    };
    Ok(Value::string(net.addr_string(net.addr | offset)))
}

pub fn cidrnetmask(args: Vec<Value>) -> FnResult {
    arity("cidrnetmask", &args, 1)?;
    if let Some(u) = deep_unknown("cidrnetmask", &args) {
        return Ok(u);
    }
    let net = Net::parse("cidrnetmask", &str_arg("cidrnetmask", &args, 0)?)?;
    if net.bits != 32 {
        return Err("cidrnetmask(): only IPv4 prefixes have a netmask".into());
    }
    Ok(Value::string(
        net.addr_string(Net::net_mask(net.bits, net.len)),
    ))
}

/// The `netnum`-th subnet of `net` with `newbits` more prefix bits.
fn subnet(net: &Net, newbits: i64, netnum: i64) -> Result<(u128, u32), String> {
    if newbits < 0 {
        return Err("cidrsubnet(): newbits must not be negative".into());
    }
    let len = (net.len as i64).saturating_add(newbits);
    if len > net.bits as i64 {
        return Err(format!(
            "cidrsubnet(): insufficient address space to extend prefix of {} by {newbits}",
            net.len
        ));
    }
    let len = len as u32;
    if netnum < 0 || (newbits < 64 && netnum as u128 >= (1u128 << newbits)) {
        return Err(format!(
            "cidrsubnet(): prefix extension of {newbits} does not accommodate a subnet numbered {netnum}"
        ));
    }
    let shift = net.bits - len;
    let offset = if shift >= 128 {
        0
    } else {
        (netnum as u128) << shift
    };
    Ok((net.addr | offset, len))
}

pub fn cidrsubnet(args: Vec<Value>) -> FnResult {
    arity("cidrsubnet", &args, 3)?;
    if let Some(u) = deep_unknown("cidrsubnet", &args) {
        return Ok(u);
    }
    let net = Net::parse("cidrsubnet", &str_arg("cidrsubnet", &args, 0)?)?;
    let newbits = int_arg("cidrsubnet", &args, 1)?;
    let netnum = int_arg("cidrsubnet", &args, 2)?;
    let (addr, len) = subnet(&net, newbits, netnum)?;
    Ok(Value::string(net.cidr_string(addr, len)))
}

/// Consecutive subnets of the given sizes, each aligned to its own size, as Terraform
/// allocates them.
pub fn cidrsubnets(args: Vec<Value>) -> FnResult {
    arity_range("cidrsubnets", &args, 1, None)?;
    if let Some(u) = deep_unknown("cidrsubnets", &args) {
        return Ok(u);
    }
    let net = Net::parse("cidrsubnets", &str_arg("cidrsubnets", &args, 0)?)?;
    let full = Net::host_mask(net.bits, 0);
    let mut out = Vec::new();
    // The "previous" subnet starts just below the base network (wrapping), like Terraform.
    let mut cur: Option<(u128, u32)> = None;
    for i in 1..args.len() {
        let newbits = int_arg("cidrsubnets", &args, i)?;
        if newbits < 1 {
            return Err(format!(
                "invalid value for argument {} of cidrsubnets(): must extend prefix by at least one bit",
                i + 1
            ));
        }
        let len = (net.len as i64).saturating_add(newbits);
        if len > net.bits as i64 {
            return Err(format!(
                "invalid value for argument {} of cidrsubnets(): would extend prefix to {len} bits, which is too long for an IPv{} address",
                i + 1,
                if net.bits == 32 { 4 } else { 6 }
            ));
        }
        let len = len as u32;
        let (cur_addr, cur_len) = cur.unwrap_or((
            net.addr.wrapping_sub(1) & full & Net::net_mask(net.bits, len),
            len,
        ));
        let cur_last = cur_addr | Net::host_mask(net.bits, cur_len);
        let sub = cur_last & Net::net_mask(net.bits, len);
        let sub_last = sub | Net::host_mask(net.bits, len);
        let rollover = sub_last == full;
        let next = sub_last.wrapping_add(1) & full & Net::net_mask(net.bits, len);
        let inside = next & Net::net_mask(net.bits, net.len) == net.addr;
        if rollover || !inside {
            return Err(format!(
                "invalid value for argument {} of cidrsubnets(): not enough remaining address space for a subnet with a prefix of {len} bits after {}",
                i + 1,
                net.cidr_string(cur_addr, cur_len)
            ));
        }
        out.push(Value::string(net.cidr_string(next, len)));
        cur = Some((next, len));
    }
    Ok(Value::list(out))
}
