//! Which user is on the other end of a loopback TCP connection (TCP has
//! no `SO_PEERCRED`), so the agent's endpoint can refuse other users even
//! when they hold a token: the kernel's socket diagnostics (netlink
//! `sock_diag`, what `ss` uses) find the caller's socket by its addresses
//! and say its owner; where that is missing, `/proc/net/tcp` lists every
//! socket with its owner, at a cost that grows with the number of sockets.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use rustix::net::{AddressFamily, RecvFlags, SendFlags, SocketType, netlink};

/// The uid owning the socket that connects from `peer` to `local` (both on
/// this machine); `None` when no such socket is found.
pub fn uid_of(peer: SocketAddr, local: SocketAddr) -> Option<u32> {
    match sock_diag(peer, local) {
        Ok(uid) => uid,
        Err(e) => {
            log::debug!("socket diagnostics failed ({e}); reading /proc/net/tcp");
            proc_net_tcp(peer, local)
        }
    }
}

/// `SOCK_DIAG_BY_FAMILY` and the netlink flags and types it uses.
const SOCK_DIAG_BY_FAMILY: u16 = 20;
const NLM_F_REQUEST: u16 = 1;
const IPPROTO_TCP: u8 = 6;
/// An `inet_diag_msg`'s `idiag_uid`, after the 16-byte netlink header.
const UID_OFFSET: usize = 16 + 64;

/// One exact lookup (no dump): the socket whose own address is `peer` and
/// whose remote one is `local`, i.e. the caller's end of the connection.
fn sock_diag(peer: SocketAddr, local: SocketAddr) -> std::io::Result<Option<u32>> {
    let fd =
        rustix::net::socket(AddressFamily::NETLINK, SocketType::DGRAM, Some(netlink::SOCK_DIAG))?;
    let kernel = netlink::SocketAddrNetlink::new(0, 0);
    rustix::net::sendto(&fd, &diag_request(peer, local), SendFlags::empty(), &kernel)?;
    let mut reply = [0u8; 512];
    let (_, len) = rustix::net::recv(&fd, &mut reply[..], RecvFlags::empty())?;
    Ok(diag_uid(&reply[..len.min(reply.len())]))
}

/// `nlmsghdr` + `inet_diag_req_v2` for the socket from `src` to `dst`.
fn diag_request(src: SocketAddr, dst: SocketAddr) -> Vec<u8> {
    let family = match src {
        SocketAddr::V4(_) => libc_family(AddressFamily::INET),
        SocketAddr::V6(_) => libc_family(AddressFamily::INET6),
    };
    let ip16 = |addr: SocketAddr| match addr.ip() {
        IpAddr::V4(ip) => {
            let mut bytes = [0u8; 16];
            bytes[..4].copy_from_slice(&ip.octets());
            bytes
        }
        IpAddr::V6(ip) => ip.octets(),
    };
    let mut msg = Vec::with_capacity(72);
    msg.extend_from_slice(&72u32.to_ne_bytes());
    msg.extend_from_slice(&SOCK_DIAG_BY_FAMILY.to_ne_bytes());
    msg.extend_from_slice(&NLM_F_REQUEST.to_ne_bytes());
    msg.extend_from_slice(&1u32.to_ne_bytes()); // sequence
    msg.extend_from_slice(&0u32.to_ne_bytes()); // port id: the kernel fills it
    msg.extend_from_slice(&[family, IPPROTO_TCP, 0, 0]);
    msg.extend_from_slice(&u32::MAX.to_ne_bytes()); // any state
    msg.extend_from_slice(&src.port().to_be_bytes());
    msg.extend_from_slice(&dst.port().to_be_bytes());
    msg.extend_from_slice(&ip16(src));
    msg.extend_from_slice(&ip16(dst));
    msg.extend_from_slice(&0u32.to_ne_bytes()); // any interface
    msg.extend_from_slice(&[0xff; 8]); // INET_DIAG_NOCOOKIE
    msg
}

fn libc_family(family: AddressFamily) -> u8 {
    family.as_raw() as u8
}

/// The uid in a `SOCK_DIAG_BY_FAMILY` answer; `None` for an error answer
/// (no such socket) or anything else.
fn diag_uid(reply: &[u8]) -> Option<u32> {
    let kind = u16::from_ne_bytes(reply.get(4..6)?.try_into().ok()?);
    if kind != SOCK_DIAG_BY_FAMILY {
        return None;
    }
    Some(u32::from_ne_bytes(reply.get(UID_OFFSET..UID_OFFSET + 4)?.try_into().ok()?))
}

/// The same answer from `/proc/net/tcp`: slower, for kernels without
/// socket diagnostics.
fn proc_net_tcp(peer: SocketAddr, local: SocketAddr) -> Option<u32> {
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
    fn a_real_connection_is_ours_both_ways_of_asking() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let ours = listener.local_addr().unwrap();
        let client = std::net::TcpStream::connect(ours).unwrap();
        let (_conn, from) = listener.accept().unwrap();
        assert_eq!(from, client.local_addr().unwrap());
        let me = rustix::process::getuid().as_raw();
        assert_eq!(sock_diag(from, ours).unwrap(), Some(me));
        assert_eq!(proc_net_tcp(from, ours), Some(me));
        assert_eq!(uid_of(from, ours), Some(me));
        // Our own end is not the caller's: its remote is not our address.
        let nobody: SocketAddr = "127.0.0.1:1".parse().unwrap();
        assert_eq!(sock_diag(from, nobody).unwrap(), None);
        assert_eq!(proc_net_tcp(from, nobody), None);
    }

    #[test]
    fn the_request_is_an_exact_inet_diag_lookup() {
        let msg =
            diag_request("127.0.0.1:50000".parse().unwrap(), "127.0.0.1:8080".parse().unwrap());
        assert_eq!(msg.len(), 72);
        assert_eq!(u32::from_ne_bytes(msg[0..4].try_into().unwrap()), 72);
        assert_eq!(&msg[16..18], &[libc_family(AddressFamily::INET), IPPROTO_TCP]);
        assert_eq!(&msg[24..26], &50000u16.to_be_bytes());
        assert_eq!(&msg[26..28], &8080u16.to_be_bytes());
        assert_eq!(&msg[28..32], &[127, 0, 0, 1]);
        assert_eq!(&msg[44..48], &[127, 0, 0, 1]);
        assert_eq!(diag_uid(&[0u8; 8]), None, "too short");
    }
}
