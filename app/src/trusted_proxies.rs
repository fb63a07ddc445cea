//! Who the client is when Roster runs behind reverse proxies: the peer's
//! address, unless the peer is a proxy the operator trusts; then the
//! right-most address its forwarding header names that is not a trusted
//! proxy itself (addresses to the left of it were written by the client,
//! who can write anything).

use std::net::{IpAddr, Ipv6Addr};

use http::HeaderMap;
use ipnet::IpNet;

/// The header trusted proxies name the client in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ForwardingHeader {
    /// `X-Forwarded-For: client, proxy1, proxy2`
    #[default]
    XForwardedFor,
    /// RFC 7239: `Forwarded: for=client, for="[2001:db8::1]:4711"`
    Forwarded,
}

impl ForwardingHeader {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "x-forwarded-for" => Some(Self::XForwardedFor),
            "forwarded" => Some(Self::Forwarded),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::XForwardedFor => "x-forwarded-for",
            Self::Forwarded => "forwarded",
        }
    }
}

/// The proxies whose forwarding header is believed (none by default).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies {
    networks: Vec<IpNet>,
    header: ForwardingHeader,
}

impl TrustedProxies {
    /// A comma- or space-separated list of addresses and CIDR networks,
    /// e.g. `10.0.0.0/8, 127.0.0.1, ::1`.
    pub fn parse(list: &str, header: ForwardingHeader) -> Result<Self, String> {
        let networks = list
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|item| !item.is_empty())
            .map(|item| {
                item.parse::<IpNet>()
                    .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                    .map(|network| network.trunc())
                    .map_err(|_| format!("{item:?} is not an IP address or a CIDR network"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { networks, header })
    }

    fn trusts(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.networks
            .iter()
            .any(|network| network.contains(&address))
    }

    /// The client behind a request that came from `peer` with `headers`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        let mut hops = Vec::new();
        for value in headers.get_all(self.header.name()) {
            let Ok(value) = value.to_str() else {
                // A header nobody can read names nobody: the peer stands.
                return peer;
            };
            for element in value.split(',') {
                let hop = match self.header {
                    ForwardingHeader::XForwardedFor => parse_node(element),
                    ForwardingHeader::Forwarded => forwarded_for(element),
                };
                hops.push(hop);
            }
        }
        // From the nearest hop outwards: trusted proxies pass the request
        // on; the first hop that is not one is the client. A hop that is
        // not an address (`unknown`, an obfuscated name, garbage) ends the
        // walk at the last proxy that spoke for it.
        let mut client = peer;
        for hop in hops.into_iter().rev() {
            let Some(hop) = hop else { break };
            client = hop.to_canonical();
            if !self.trusts(client) {
                break;
            }
        }
        client
    }
}

/// `203.0.113.9`, `203.0.113.9:4711`, `2001:db8::1`, `[2001:db8::1]:4711`,
/// optionally quoted.
fn parse_node(raw: &str) -> Option<IpAddr> {
    let node = raw.trim().trim_matches('"');
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    node.parse::<IpAddr>().ok().or_else(|| {
        let (host, port) = node.rsplit_once(':')?;
        port.parse::<u16>().ok()?;
        host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
    })
}

/// The `for=` parameter of one `Forwarded` element.
fn forwarded_for(element: &str) -> Option<IpAddr> {
    element.split(';').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("for")
            .then(|| parse_node(value))
            .flatten()
    })
}

/// What per-address limits count by: an IPv4 address, or an IPv6 address's
/// /64 network (one site or household holds a whole /64).
pub fn limit_key(address: IpAddr) -> String {
    match address.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let segments = v6.segments();
            let network = Ipv6Addr::new(
                segments[0],
                segments[1],
                segments[2],
                segments[3],
                0,
                0,
                0,
                0,
            );
            format!("{network}/64")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(name: &'static str, values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in values {
            map.append(name, value.parse().unwrap());
        }
        map
    }

    fn ip(raw: &str) -> IpAddr {
        raw.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_the_headers_say() {
        let none = TrustedProxies::default();
        let spoofed = headers("x-forwarded-for", &["198.51.100.7"]);
        assert_eq!(none.client(ip("203.0.113.5"), &spoofed), ip("203.0.113.5"));
    }

    #[test]
    fn the_right_most_hop_that_is_not_a_trusted_proxy_is_the_client() {
        let proxies =
            TrustedProxies::parse("10.0.0.0/8, 127.0.0.1", ForwardingHeader::XForwardedFor)
                .unwrap();
        // The client wrote the first two hops; the proxies the last two.
        let spoofed = headers(
            "x-forwarded-for",
            &["1.1.1.1, 10.0.0.9", "203.0.113.5, 10.1.2.3"],
        );
        assert_eq!(proxies.client(ip("127.0.0.1"), &spoofed), ip("203.0.113.5"));
        // From a peer that is not trusted, the header is ignored.
        assert_eq!(proxies.client(ip("192.0.2.1"), &spoofed), ip("192.0.2.1"));
        // No header: the proxy itself.
        assert_eq!(
            proxies.client(ip("127.0.0.1"), &HeaderMap::new()),
            ip("127.0.0.1")
        );
        // Every hop trusted: the farthest one.
        let internal = headers("x-forwarded-for", &["10.0.0.1, 10.0.0.2"]);
        assert_eq!(proxies.client(ip("127.0.0.1"), &internal), ip("10.0.0.1"));
        // Garbage in the client's part stops the walk at the proxy that wrote it.
        let garbage = headers("x-forwarded-for", &["not-an-address, 10.0.0.2"]);
        assert_eq!(proxies.client(ip("127.0.0.1"), &garbage), ip("10.0.0.2"));
    }

    #[test]
    fn forwarded_elements_name_the_client_in_for() {
        let proxies = TrustedProxies::parse("127.0.0.1/32", ForwardingHeader::Forwarded).unwrap();
        let forwarded = headers(
            "forwarded",
            &["for=192.0.2.43, for=\"[2001:db8:cafe::17]:4711\";proto=https;by=127.0.0.1"],
        );
        assert_eq!(
            proxies.client(ip("127.0.0.1"), &forwarded),
            ip("2001:db8:cafe::17")
        );
        // X-Forwarded-For is not read when Forwarded is the header.
        let other = headers("x-forwarded-for", &["198.51.100.7"]);
        assert_eq!(proxies.client(ip("127.0.0.1"), &other), ip("127.0.0.1"));
        let with_port = headers("forwarded", &["For=\"192.0.2.60:8080\""]);
        assert_eq!(
            proxies.client(ip("127.0.0.1"), &with_port),
            ip("192.0.2.60")
        );
    }

    #[test]
    fn mapped_addresses_and_lists_are_read_as_operators_write_them() {
        let proxies =
            TrustedProxies::parse("127.0.0.1 ::1", ForwardingHeader::XForwardedFor).unwrap();
        let header = headers("x-forwarded-for", &["203.0.113.5:51000"]);
        assert_eq!(
            proxies.client(ip("::ffff:127.0.0.1"), &header),
            ip("203.0.113.5")
        );
        assert!(TrustedProxies::parse("10.0.0.0/33", ForwardingHeader::XForwardedFor).is_err());
        assert!(TrustedProxies::parse("proxy.internal", ForwardingHeader::XForwardedFor).is_err());
        assert_eq!(
            ForwardingHeader::parse("Forwarded"),
            Some(ForwardingHeader::Forwarded)
        );
        assert_eq!(ForwardingHeader::parse("x-real-ip"), None);
    }

    #[test]
    fn ipv6_clients_are_limited_per_64() {
        assert_eq!(
            limit_key(ip("2001:db8:1:2:aaaa::1")),
            limit_key(ip("2001:db8:1:2:bbbb::2"))
        );
        assert_ne!(
            limit_key(ip("2001:db8:1:2::1")),
            limit_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(limit_key(ip("::ffff:203.0.113.5")), "203.0.113.5");
    }
}
