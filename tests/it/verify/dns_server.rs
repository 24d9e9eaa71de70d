//! A real DNS server on loopback for the verify tests: hickory-server in-process with an
//! authoritative in-memory zone `test.`, a handler that answers SERVFAIL for `servfail.test.`
//! (and REFUSED, as the catalog does, for names outside the zone), plus a silent server.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use hickory_server::Server;
use hickory_server::net::runtime::{Time, TokioRuntimeProvider};
use hickory_server::proto::op::ResponseCode;
use hickory_server::proto::rr::rdata::{A, CNAME, MX, SOA, TXT};
use hickory_server::proto::rr::{LowerName, Name, RData, Record};
use hickory_server::server::{Request, RequestHandler, ResponseHandler, ResponseInfo};
use hickory_server::store::in_memory::InMemoryZoneHandler;
use hickory_server::zone_handler::{
    AxfrPolicy, Catalog, MessageResponseBuilder, ZoneHandler, ZoneType,
};
use tokio::net::{TcpListener, UdpSocket};

/// The test provider id and the token its records carry.
pub const PROVIDER: &str = "acme-tools-inc";
pub const TOKEN: &str = "0123456789abcdef0123456789abcdef";

/// The value the good records hold.
pub fn good_value() -> String {
    format!("mcp-billing-verify=acme-too-{TOKEN}")
}

struct TestHandler {
    catalog: Catalog,
    queries: Arc<AtomicUsize>,
}

#[async_trait::async_trait]
impl RequestHandler for TestHandler {
    async fn handle_request<R: ResponseHandler, T: Time>(
        &self,
        request: &Request,
        mut response_handle: R,
    ) -> ResponseInfo {
        let servfail = request
            .queries
            .queries()
            .iter()
            .any(|q| q.name().to_string().ends_with("servfail.test."));
        if servfail {
            let response = MessageResponseBuilder::new(&request.queries, None)
                .error_msg(&request.metadata, ResponseCode::ServFail);
            return match response_handle.send_response(response).await {
                Ok(info) => info,
                Err(e) => panic!("test DNS server could not answer: {e}"),
            };
        }
        let info = self
            .catalog
            .handle_request::<R, T>(request, response_handle)
            .await;
        // Counted once the answer is sent, so a test can change the zone after it.
        self.queries.fetch_add(1, Ordering::SeqCst);
        info
    }
}

/// A running server; it stops when dropped (with its runtime).
pub struct DnsServer {
    pub addr: SocketAddr,
    zone: Arc<InMemoryZoneHandler<TokioRuntimeProvider>>,
    queries: Arc<AtomicUsize>,
    rt: tokio::runtime::Runtime,
}

fn name(s: &str) -> Name {
    Name::from_ascii(s).unwrap()
}

fn txt(owner: &str, strings: &[&str]) -> Record {
    Record::from_rdata(
        name(owner),
        300,
        RData::TXT(TXT::new(strings.iter().map(|s| (*s).to_owned()).collect())),
    )
}

fn zone_records() -> Vec<Record> {
    let good = good_value();
    let t = TOKEN;
    vec![
        Record::from_rdata(
            name("test."),
            300,
            RData::SOA(SOA::new(
                name("ns.test."),
                name("hostmaster.test."),
                1,
                3600,
                600,
                86400,
                60,
            )),
        ),
        txt("_mcp-billing-verify.good.test.", &[&good]),
        txt(
            "_mcp-billing-verify.split.test.",
            &["mcp-billing-verify=", "acme-too-", t],
        ),
        txt("_mcp-billing-verify.several.test.", &["v=spf1 -all"]),
        txt(
            "_mcp-billing-verify.several.test.",
            &["google-site-verification=abc"],
        ),
        txt("_mcp-billing-verify.several.test.", &[&good]),
        txt("_mcp-billing-verify.space.test.", &[&format!(" {good} ")]),
        txt("_mcp-billing-verify.case.test.", &[&good.to_uppercase()]),
        txt(
            "_mcp-billing-verify.quotes.test.",
            &[&format!("\"{good}\"")],
        ),
        txt(
            "_mcp-billing-verify.prefix.test.",
            &[&format!("mcp-billing-verify=other-co-{t}")],
        ),
        txt(
            "_mcp-billing-verify.fullid.test.",
            &[&format!("mcp-billing-verify=acme-tools-inc-{t}")],
        ),
        txt(
            "_mcp-billing-verify.token.test.",
            &["mcp-billing-verify=acme-too-ffffffffffffffffffffffffffffffff"],
        ),
        txt(
            "_mcp-billing-verify.nokey.test.",
            &[&format!("acme-too-{t}")],
        ),
        txt(
            "_mcp-billing-verify.wrongkey.test.",
            &[&format!("mcp-billing=acme-too-{t}")],
        ),
        txt("_mcp-billing-verify.unrelated.test.", &["v=spf1 -all"]),
        Record::from_rdata(
            name("_mcp-billing-verify.cname.test."),
            300,
            RData::CNAME(CNAME(name("hop.cname.test."))),
        ),
        Record::from_rdata(
            name("hop.cname.test."),
            300,
            RData::CNAME(CNAME(name("target.elsewhere.test."))),
        ),
        txt("target.elsewhere.test.", &[&good]),
        txt("_mcp-billing-verify.xn--bcher-kva.test.", &[&good]),
        Record::from_rdata(
            name("_mcp-billing-verify.empty.test."),
            300,
            RData::A(A::new(192, 0, 2, 1)),
        ),
        // Mail.
        Record::from_rdata(
            name("mx.test."),
            300,
            RData::MX(MX::new(20, name("mx2.mx.test."))),
        ),
        Record::from_rdata(
            name("mx.test."),
            300,
            RData::MX(MX::new(10, name("mx1.mx.test."))),
        ),
        Record::from_rdata(
            name("nullmx.test."),
            300,
            RData::MX(MX::new(0, Name::root())),
        ),
        Record::from_rdata(name("aonly.test."), 300, RData::A(A::new(192, 0, 2, 25))),
        txt("nomail.test.", &["nothing here"]),
        Record::from_rdata(
            name("xn--bcher-kva.test."),
            300,
            RData::MX(MX::new(10, name("mx.xn--bcher-kva.test."))),
        ),
    ]
}

impl DnsServer {
    /// Start the server on 127.0.0.1 (UDP and TCP on the same ephemeral port).
    pub fn start() -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let origin = name("test.");
        let mut zone = InMemoryZoneHandler::<TokioRuntimeProvider>::empty(
            origin.clone(),
            ZoneType::Primary,
            AxfrPolicy::Deny,
        );
        for record in zone_records() {
            zone.upsert_mut(record, 1);
        }
        let zone = Arc::new(zone);
        let mut catalog = Catalog::new();
        catalog.upsert(
            LowerName::new(&origin),
            vec![zone.clone() as Arc<dyn ZoneHandler>],
        );
        let queries = Arc::new(AtomicUsize::new(0));
        let handler = TestHandler {
            catalog,
            queries: queries.clone(),
        };
        let addr = rt.block_on(async move {
            let (udp, tcp) = bind_pair().await;
            let addr = udp.local_addr().unwrap();
            let mut server = Server::new(handler);
            server.register_socket(udp);
            server.register_listener(tcp, Duration::from_secs(5), 64);
            tokio::spawn(async move {
                let _ = server.block_until_done().await;
            });
            addr
        });
        DnsServer {
            addr,
            zone,
            queries,
            rt,
        }
    }

    /// `--nameserver` value for this server.
    pub fn arg(&self) -> String {
        self.addr.to_string()
    }

    /// How many queries inside the zone the server has answered.
    pub fn queries(&self) -> usize {
        self.queries.load(Ordering::SeqCst)
    }

    /// Publish a TXT record while the server runs.
    pub fn publish_txt(&self, owner: &str, value: &str) {
        self.publish_txt_parts(owner, &[value]);
    }

    /// Add a TXT record of several strings (read as their concatenation) at `owner`.
    pub fn publish_txt_parts(&self, owner: &str, parts: &[&str]) {
        let record = txt(owner, parts);
        let zone = self.zone.clone();
        self.rt.block_on(async move {
            zone.upsert(record, 2).await;
        });
    }
}

/// A UDP socket and a TCP listener on the same free loopback port.
async fn bind_pair() -> (UdpSocket, TcpListener) {
    loop {
        let udp = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let addr = udp.local_addr().unwrap();
        if let Ok(tcp) = TcpListener::bind(addr).await {
            return (udp, tcp);
        }
    }
}

/// A name server that receives queries and never answers (UDP and TCP), for timeouts.
pub struct SilentServer {
    pub addr: SocketAddr,
    _udp: std::net::UdpSocket,
    _tcp: std::net::TcpListener,
}

impl SilentServer {
    pub fn start() -> Self {
        loop {
            let udp = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
            let addr = udp.local_addr().unwrap();
            // The listener's backlog completes TCP handshakes, but nothing ever reads or replies.
            if let Ok(tcp) = std::net::TcpListener::bind(addr) {
                return SilentServer {
                    addr,
                    _udp: udp,
                    _tcp: tcp,
                };
            }
        }
    }
}
