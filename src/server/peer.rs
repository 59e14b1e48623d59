//! Which user is on the other end of a loopback TCP connection: the kernel
//! lists every socket with its owner's uid in `/proc/net/tcp`, so the
//! agent's endpoint can refuse other users even when they hold a token (TCP
//! has no `SO_PEERCRED`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// The uid owning the socket that connects from `peer` to `local` (both on
/// this machine); `None` when no such socket is listed.
pub fn uid_of(peer: SocketAddr, local: SocketAddr) -> Option<u32> {
    let table = match peer.ip() {
        IpAddr::V4(_) => "/proc/net/tcp",
        IpAddr::V6(_) => "/proc/net/tcp6",
    };
    let text = std::fs::read_to_string(table).ok()?;
    find_uid(&text, peer, local)
}

/// The uid column of the line whose local address is `peer` and whose
/// remote address is `local`: the caller's own socket, seen from its side.
fn find_uid(table: &str, peer: SocketAddr, local: SocketAddr) -> Option<u32> {
    table.lines().skip(1).find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (from, to, uid) = (fields.get(1)?, fields.get(2)?, fields.get(7)?);
        (parse_addr(from)? == peer && parse_addr(to)? == local).then(|| uid.parse().ok())?
    })
}

/// `0100007F:1F90`: the address as the kernel's 32-bit words in host byte
/// order, in hex, then the port in hex.
fn parse_addr(text: &str) -> Option<SocketAddr> {
    let (ip, port) = text.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let word = |i: usize| -> Option<[u8; 4]> {
        let hex = ip.get(i * 8..i * 8 + 8)?;
        Some(u32::from_str_radix(hex, 16).ok()?.to_ne_bytes())
    };
    let ip = match ip.len() {
        8 => IpAddr::V4(Ipv4Addr::from(word(0)?)),
        32 => {
            let mut bytes = [0u8; 16];
            for i in 0..4 {
                bytes[i * 4..i * 4 + 4].copy_from_slice(&word(i)?);
            }
            IpAddr::V6(Ipv6Addr::from(bytes))
        }
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex4(ip: Ipv4Addr) -> String {
        format!("{:08X}", u32::from_ne_bytes(ip.octets()))
    }

    #[test]
    fn the_callers_socket_is_the_line_from_its_port_to_ours() {
        let lo = hex4(Ipv4Addr::LOCALHOST);
        let table = format!(
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
             0: {lo}:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1\n\
             1: {lo}:1F90 {lo}:C350 01 00000000:00000000 00:00000000 00000000  1000        0 2\n\
             2: {lo}:C350 {lo}:1F90 01 00000000:00000000 00:00000000 00000000 65534        0 3\n"
        );
        let ours: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let caller: SocketAddr = "127.0.0.1:50000".parse().unwrap();
        assert_eq!(find_uid(&table, caller, ours), Some(65534));
        assert_eq!(find_uid(&table, "127.0.0.1:50001".parse().unwrap(), ours), None);
        assert_eq!(find_uid("garbage\nmore garbage", caller, ours), None);
    }

    #[test]
    fn a_real_connection_is_ours() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (_conn, from) = listener.accept().unwrap();
        assert_eq!(from, client.local_addr().unwrap());
        let me = rustix::process::getuid().as_raw();
        assert_eq!(uid_of(from, listener.local_addr().unwrap()), Some(me));
    }
}
