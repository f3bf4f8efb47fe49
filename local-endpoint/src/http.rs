//! The HTTP server: tiny_http on 127.0.0.1, a few worker threads sharing the
//! state behind one mutex.

use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use tiny_http::{Header, Response, Server};

use crate::router::{self, HttpRequest, HttpResponse};
use crate::state::State;

/// Request bodies above this are cut off (and then fail to parse).
const MAX_BODY_BYTES: u64 = 1 << 20;

/// A listener whose connections send small writes at once (TCP_NODELAY,
/// which Linux passes on to accepted sockets). tiny_http writes the head and
/// the body of a response separately; with Nagle's algorithm the body then
/// waits for the client's delayed ACK, about 40 ms on every kept-alive request.
fn no_delay_listener(port: u16) -> io::Result<std::net::TcpListener> {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    socket.set_nodelay(true)?;
    socket.bind(&std::net::SocketAddr::from(([127, 0, 0, 1], port)).into())?;
    socket.listen(128)?;
    Ok(socket.into())
}

/// A bound, not yet serving, listener.
pub struct Endpoint {
    server: Arc<Server>,
    port: u16,
    preflight_delay: Duration,
}

impl Endpoint {
    /// Binds 127.0.0.1:`port`; port 0 picks a free port.
    pub fn bind(port: u16) -> io::Result<Self> {
        let server =
            Server::from_listener(no_delay_listener(port)?, None).map_err(io::Error::other)?;
        let port = server
            .server_addr()
            .to_ip()
            .map(|addr| addr.port())
            .ok_or_else(|| io::Error::other("not an IP listener"))?;
        Ok(Endpoint {
            server: Arc::new(server),
            port,
            preflight_delay: Duration::ZERO,
        })
    }

    /// Holds each preflight (OPTIONS) answer for `delay`, for benchmarks:
    /// Chromium's network throttling does not slow preflights, so without
    /// this a throttled page would get them for free.
    pub fn with_preflight_delay(mut self, delay: Duration) -> Self {
        self.preflight_delay = delay;
        self
    }

    /// `http://127.0.0.1:<port>`
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Serves requests on `workers` threads until the [`Running`] is dropped.
    pub fn serve(self, state: State, workers: usize) -> Running {
        let state = Arc::new(Mutex::new(state));
        let stopping = Arc::new(AtomicBool::new(false));
        let threads = (0..workers)
            .map(|_| {
                let (server, state, stopping) =
                    (self.server.clone(), state.clone(), stopping.clone());
                let preflight_delay = self.preflight_delay;
                std::thread::spawn(move || work(&server, &state, &stopping, preflight_delay))
            })
            .collect();
        Running {
            url: self.url(),
            server: self.server,
            stopping,
            threads,
        }
    }
}

/// A serving endpoint; dropping it stops the workers.
pub struct Running {
    url: String,
    server: Arc<Server>,
    stopping: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl Running {
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Blocks while the workers run (for the binary, until it is killed).
    pub fn wait(mut self) {
        for thread in std::mem::take(&mut self.threads) {
            let _ = thread.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        for _ in &self.threads {
            self.server.unblock();
        }
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

fn work(server: &Server, state: &Mutex<State>, stopping: &AtomicBool, preflight_delay: Duration) {
    loop {
        match server.recv() {
            Ok(request) => answer(request, state, preflight_delay),
            Err(_) if stopping.load(Ordering::SeqCst) => return,
            Err(_) => continue,
        }
    }
}

fn answer(mut request: tiny_http::Request, state: &Mutex<State>, preflight_delay: Duration) {
    let incoming = read_request(&mut request);
    let response = to_tiny_http({
        let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
        router::handle(&mut state, &incoming)
    });
    if incoming.method == "OPTIONS" && !preflight_delay.is_zero() {
        // Held on a thread of its own, so the worker (and the state lock)
        // serves other requests meanwhile.
        std::thread::spawn(move || {
            std::thread::sleep(preflight_delay);
            let _ = request.respond(response);
        });
        return;
    }
    // The client may have gone away; nothing to do about it.
    let _ = request.respond(response);
}

fn read_request(request: &mut tiny_http::Request) -> HttpRequest {
    let mut body = Vec::new();
    // A body that cannot be read is answered as an unparsable one.
    let _ = request
        .as_reader()
        .take(MAX_BODY_BYTES)
        .read_to_end(&mut body);
    HttpRequest {
        method: request.method().as_str().to_owned(),
        url: request.url().to_owned(),
        headers: request
            .headers()
            .iter()
            .map(|h| {
                (
                    h.field.as_str().as_str().to_owned(),
                    h.value.as_str().to_owned(),
                )
            })
            .collect(),
        body,
    }
}

fn to_tiny_http(response: HttpResponse) -> Response<io::Cursor<Vec<u8>>> {
    // Bodies are in memory: always a Content-Length, never chunked.
    let mut out = Response::from_data(response.body)
        .with_status_code(response.status)
        .with_chunked_threshold(usize::MAX);
    for (name, value) in response.headers {
        out.add_header(
            Header::from_bytes(name, value).expect("our header names and values are ASCII"),
        );
    }
    out
}
