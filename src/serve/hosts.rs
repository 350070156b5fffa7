//! Which `Host` names `briefing serve` answers to, and the refusal the others get.
//!
//! A web page the editor visits can point a name it controls at 127.0.0.1 (DNS rebinding) and
//! then read the preview, drafts included, as same-origin. The browser still sends that name in
//! `Host`, so the server answers only names it is known by: `localhost`, `127.0.0.1`, `[::1]`,
//! the `--interface` address, with a wildcard interface (`0.0.0.0`, `::`) the address the
//! connection arrived on (one of the machine's own, as a phone on the LAN uses), and whatever
//! `--allowed-host` names. A port, if given, must be the one the server is bound to. Everything
//! else gets 421 Misdirected Request; a request without any host gets 400.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::str::FromStr;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Response, StatusCode, Uri, header};

use super::inject::escape;

/// A host name or address accepted in `Host`, as given to `--allowed-host`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostName {
    Ip(IpAddr),
    /// Lower case, without a trailing dot.
    Domain(String),
}

impl fmt::Display for HostName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HostName::Ip(IpAddr::V6(v6)) => write!(f, "[{v6}]"),
            HostName::Ip(ip) => write!(f, "{ip}"),
            HostName::Domain(d) => f.write_str(d),
        }
    }
}

impl FromStr for HostName {
    type Err = String;

    /// Parse an `--allowed-host` value: a DNS name (`preview.example`), an IPv4 address or an
    /// IPv6 address (bare or in brackets); no scheme, port or path.
    fn from_str(s: &str) -> Result<Self, String> {
        const SHAPE: &str = "give a host name such as `preview.example` or `192.168.1.20`, \
                             without scheme, port or path";
        if s.is_empty() {
            return Err(format!("the host name is empty; {SHAPE}"));
        }
        if let Some(inner) = s.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            return inner
                .parse::<Ipv6Addr>()
                .map(|ip| HostName::Ip(IpAddr::V6(ip)))
                .map_err(|_| format!("`{s}` is not an IPv6 address in brackets; {SHAPE}"));
        }
        if let Ok(ip) = s.parse::<IpAddr>() {
            return Ok(HostName::Ip(ip));
        }
        if s.contains("://") || s.contains(['/', '@', '?', '#']) {
            return Err(format!("`{s}` is not a bare host name; {SHAPE}"));
        }
        if s.contains(':') {
            return Err(format!(
                "`{s}` has a port; {SHAPE} (the port is always the one `serve` listens on)"
            ));
        }
        if !s.is_ascii() {
            return Err(format!(
                "`{s}` is not ASCII; give the name as browsers send it (`xn--…`)"
            ));
        }
        let name = s.strip_suffix('.').unwrap_or(s).to_ascii_lowercase();
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        if name.len() > 253 || !name.split('.').all(label_ok) {
            return Err(format!("`{s}` is not a valid host name; {SHAPE}"));
        }
        Ok(HostName::Domain(name))
    }
}

/// The names one server answers to.
#[derive(Debug, Clone)]
pub(crate) struct AllowedHosts {
    interface: IpAddr,
    port: u16,
    extra: Vec<HostName>,
}

/// Why a request is not answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// No `Host` header and no host in the request target, or more than one `Host`.
    NoHost,
    /// A host this server is not known by (as sent, for the page).
    Misdirected(String),
}

impl AllowedHosts {
    /// For a server bound to `bound`, also accepting `extra`.
    pub fn new(bound: SocketAddr, extra: &[HostName]) -> Self {
        AllowedHosts {
            interface: bound.ip().to_canonical(),
            port: bound.port(),
            extra: extra.to_vec(),
        }
    }

    /// Whether `host` (a `Host` header value or a request target's authority) names this
    /// server, for a connection that arrived on the local address `local`.
    pub(crate) fn allows(&self, host: &str, local: IpAddr) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        if port.is_some_and(|p| p != self.port) {
            return false;
        }
        match name {
            HostName::Ip(ip) => {
                let ip = ip.to_canonical();
                ip == IpAddr::V4(Ipv4Addr::LOCALHOST)
                    || ip == IpAddr::V6(Ipv6Addr::LOCALHOST)
                    || if self.interface.is_unspecified() {
                        ip == local.to_canonical()
                    } else {
                        ip == self.interface
                    }
                    || self
                        .extra
                        .iter()
                        .any(|e| matches!(e, HostName::Ip(x) if x.to_canonical() == ip))
            }
            HostName::Domain(d) => d == "localhost" || self.extra.contains(&HostName::Domain(d)),
        }
    }

    /// Check a request's `Host` header and, for an absolute request target, its authority.
    pub(crate) fn check(
        &self,
        headers: &HeaderMap,
        uri: &Uri,
        local: IpAddr,
    ) -> Result<(), Refusal> {
        let mut hosts = headers.get_all(header::HOST).iter();
        let host = hosts.next();
        if hosts.next().is_some() {
            return Err(Refusal::NoHost);
        }
        let authority = uri.authority().map(|a| a.as_str());
        if host.is_none() && authority.is_none() {
            return Err(Refusal::NoHost);
        }
        for value in host
            .map(|h| String::from_utf8_lossy(h.as_bytes()).into_owned())
            .into_iter()
            .chain(authority.map(String::from))
        {
            if !self.allows(&value, local) {
                return Err(Refusal::Misdirected(value));
            }
        }
        Ok(())
    }
}

/// Split a `Host` value into the name and the port (if any); `None` if malformed.
fn split_host(host: &str) -> Option<(HostName, Option<u16>)> {
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let (inner, after) = rest.split_once(']')?;
        let ip = inner.parse::<Ipv6Addr>().ok()?;
        (HostName::Ip(IpAddr::V6(ip)), after)
    } else {
        let (name, after) = match host.rfind(':') {
            Some(i) => (&host[..i], &host[i..]),
            None => (host, ""),
        };
        if name.is_empty() || name.contains(':') || name.contains('@') {
            return None;
        }
        let parsed = match name.parse::<Ipv4Addr>() {
            Ok(ip) => HostName::Ip(IpAddr::V4(ip)),
            Err(_) => {
                let lower = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
                HostName::Domain(lower)
            }
        };
        (parsed, after)
    };
    let port = match port.strip_prefix(':') {
        None if port.is_empty() => None,
        None => return None,
        Some("") => None,
        Some(digits) if digits.bytes().all(|b| b.is_ascii_digit()) => Some(digits.parse().ok()?),
        Some(_) => return None,
    };
    Some((name, port))
}

impl Refusal {
    /// The status and a small HTML page saying why, and how to allow the name.
    fn page(&self) -> (StatusCode, String) {
        let (status, title, text) = match self {
            Refusal::NoHost => (
                StatusCode::BAD_REQUEST,
                "Bad request",
                "The request names no host (or more than one): send exactly one <code>Host</code> header.".to_string(),
            ),
            Refusal::Misdirected(host) => {
                let shown: String = host.chars().take(255).collect();
                let name = split_host(host)
                    .map(|(n, _)| n.to_string())
                    .unwrap_or_else(|| "NAME".into());
                let name: String = name.chars().take(255).collect();
                (
                    StatusCode::MISDIRECTED_REQUEST,
                    "Misdirected request",
                    format!(
                        "This preview server does not answer to the host <code>{}</code>. It answers \
                         to <code>localhost</code>, <code>127.0.0.1</code>, <code>[::1]</code> and \
                         the address it listens on, so that other web sites cannot read the \
                         preview through a name of theirs. To preview under another name, start it \
                         with <code>briefing serve --allowed-host {}</code>.",
                        escape(&shown),
                        escape(&name)
                    ),
                )
            }
        };
        let body = format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{title}</title></head>\n<body>\n<h1>{title}</h1>\n<p>{text}</p>\n</body>\n</html>\n"
        );
        (status, body)
    }

    /// The answer, closing the connection.
    pub(crate) fn response(&self) -> Response<Body> {
        let (status, body) = self.page();
        let mut res = Response::new(Body::from(body));
        *res.status_mut() = status;
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        h.insert(header::CONNECTION, HeaderValue::from_static("close"));
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn loopback_names_and_the_interface_with_the_bound_port_or_none() {
        let hosts = AllowedHosts::new("127.0.0.1:1111".parse().unwrap(), &[]);
        let local = ip("127.0.0.1");
        for ok in [
            "127.0.0.1:1111",
            "127.0.0.1",
            "127.0.0.1:",
            "localhost:1111",
            "LocalHost",
            "localhost.",
            "[::1]:1111",
            "[::1]",
        ] {
            assert!(hosts.allows(ok, local), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1:1112",
            "127.0.0.1:80",
            "localhost:01111x",
            "127.0.0.2:1111",
            "0.0.0.0:1111",
            "[::2]:1111",
            "::1",
            "[::1",
            "[::1]x",
            "127.1",
            "2130706433",
            "user@127.0.0.1",
            "",
            ":1111",
            "127.0.0.1:99999",
        ] {
            assert!(!hosts.allows(bad, local), "{bad}");
        }
    }

    #[test]
    fn a_wildcard_interface_accepts_the_address_the_connection_arrived_on() {
        let hosts = AllowedHosts::new("0.0.0.0:8080".parse().unwrap(), &[]);
        let lan = ip("192.168.1.20");
        assert!(hosts.allows("192.168.1.20:8080", lan));
        assert!(hosts.allows("127.0.0.1:8080", lan));
        assert!(!hosts.allows("192.168.1.21:8080", lan), "another address");
        assert!(!hosts.allows("0.0.0.0:8080", lan));
        assert!(!hosts.allows("rebind.example:8080", lan));
        // A dual-stack `::` socket sees IPv4 clients as mapped addresses.
        let hosts = AllowedHosts::new("[::]:8080".parse().unwrap(), &[]);
        assert!(hosts.allows("192.168.1.20:8080", ip("::ffff:192.168.1.20")));
        assert!(hosts.allows("[fd00::5]:8080", ip("fd00::5")));
        assert!(!hosts.allows("[fd00::6]:8080", ip("fd00::5")));
    }

    #[test]
    fn a_specific_interface_and_allowed_hosts() {
        let extra: Vec<HostName> = ["Preview.Example.", "10.0.0.9", "[fd00::1]"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let hosts = AllowedHosts::new("192.168.1.20:1111".parse().unwrap(), &extra);
        let local = ip("192.168.1.20");
        for ok in [
            "192.168.1.20:1111",
            "preview.example:1111",
            "PREVIEW.example",
            "10.0.0.9:1111",
            "[fd00::1]:1111",
            "localhost:1111",
        ] {
            assert!(hosts.allows(ok, local), "{ok}");
        }
        for bad in ["sub.preview.example", "preview.example:1", "10.0.0.8"] {
            assert!(!hosts.allows(bad, local), "{bad}");
        }
    }

    #[test]
    fn allowed_host_values_are_checked() {
        assert_eq!(
            "Preview.Example.".parse::<HostName>(),
            Ok(HostName::Domain("preview.example".into()))
        );
        assert_eq!("[::1]".parse::<HostName>(), Ok(HostName::Ip(ip("::1"))));
        assert_eq!("::1".parse::<HostName>(), Ok(HostName::Ip(ip("::1"))));
        for bad in [
            "",
            "http://x.example/",
            "x.example:8080",
            "x.example/path",
            "a..b",
            "héllo.example",
            "[nope]",
            "sp ace",
            "user@x.example",
        ] {
            let err = bad.parse::<HostName>().expect_err(bad);
            assert!(!err.is_empty());
        }
    }

    #[test]
    fn requests_need_exactly_one_allowed_host() {
        let hosts = AllowedHosts::new("127.0.0.1:1111".parse().unwrap(), &[]);
        let local = ip("127.0.0.1");
        let mut h = HeaderMap::new();
        let uri: Uri = "/".parse().unwrap();
        assert_eq!(hosts.check(&h, &uri, local), Err(Refusal::NoHost));
        h.insert(header::HOST, HeaderValue::from_static("localhost:1111"));
        assert_eq!(hosts.check(&h, &uri, local), Ok(()));
        h.append(header::HOST, HeaderValue::from_static("localhost:1111"));
        assert_eq!(hosts.check(&h, &uri, local), Err(Refusal::NoHost));
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("localhost:1111"));
        let absolute: Uri = "http://evil.example/".parse().unwrap();
        assert_eq!(
            hosts.check(&h, &absolute, local),
            Err(Refusal::Misdirected("evil.example".into()))
        );
        let absolute: Uri = "http://127.0.0.1:1111/".parse().unwrap();
        assert_eq!(hosts.check(&HeaderMap::new(), &absolute, local), Ok(()));
    }

    #[test]
    fn the_refusal_page_escapes_the_name_and_says_how_to_allow_it() {
        let (status, page) = Refusal::Misdirected("<b>x</b>.example:1111".into()).page();
        assert_eq!(status, StatusCode::MISDIRECTED_REQUEST);
        assert!(!page.contains("<b>"), "{page}");
        assert!(page.contains("&lt;b&gt;x&lt;/b&gt;.example:1111"), "{page}");
        let (_, page) = Refusal::Misdirected("Rebind.Example:1111".into()).page();
        assert!(
            page.contains("briefing serve --allowed-host rebind.example</code>"),
            "{page}"
        );
        let (status, page) = Refusal::NoHost.page();
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(page.contains("Host"));
        let res = Refusal::Misdirected("rebind.example:1111".into()).response();
        assert_eq!(res.status(), StatusCode::MISDIRECTED_REQUEST);
        assert_eq!(
            res.headers().get(header::CONNECTION).map(|v| v.as_bytes()),
            Some(&b"close"[..])
        );
    }
}
