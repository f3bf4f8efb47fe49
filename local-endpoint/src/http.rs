//! The HTTP/1.1 server on 127.0.0.1: one thread per connection, the state
//! behind one mutex. It is written here rather than taken from a server
//! library so that a connection can misbehave on purpose ([`crate::faults`]):
//! stay open without an answer, stop halfway through a body, or be reset,
//! without holding up the other connections.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::faults::{self, Misbehaviour, Play};
use crate::router::{self, HttpRequest, HttpResponse};
use crate::state::State;

/// Request bodies above this are cut off (and then fail to parse); the rest
/// is read and dropped, so the connection stays usable.
const MAX_BODY_BYTES: u64 = 1 << 20;
/// The request line and headers together.
const MAX_HEAD_BYTES: u64 = 64 * 1024;
/// Connections served at once; more are closed on arrival.
const MAX_CONNECTIONS: usize = 512;

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A bound, not yet serving, listener.
pub struct Endpoint {
    listener: TcpListener,
    address: SocketAddr,
    preflight_delay: Duration,
}

impl Endpoint {
    /// Binds 127.0.0.1:`port`; port 0 picks a free port.
    pub fn bind(port: u16) -> io::Result<Self> {
        use socket2::{Domain, Socket, Type};
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
        socket.set_reuse_address(true)?;
        socket.bind(&SocketAddr::from(([127, 0, 0, 1], port)).into())?;
        socket.listen(128)?;
        let listener: TcpListener = socket.into();
        let address = listener.local_addr()?;
        Ok(Endpoint {
            listener,
            address,
            preflight_delay: Duration::ZERO,
        })
    }

    /// Holds each preflight (OPTIONS) answer for `delay`, for benchmarks:
    /// Chromium's network throttling does not slow preflights, so without
    /// this a throttled page would get them for free. Each connection has a
    /// thread of its own, so a held answer holds nothing else.
    pub fn with_preflight_delay(mut self, delay: Duration) -> Self {
        self.preflight_delay = delay;
        self
    }

    /// `http://127.0.0.1:<port>`
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Serves requests until the [`Running`] is dropped.
    pub fn serve(self, state: State) -> Running {
        let shared = Arc::new(Shared {
            preflight_delay: self.preflight_delay,
            state: Mutex::new(state),
            stopping: AtomicBool::new(false),
            stop_signal: (Mutex::new(()), Condvar::new()),
            connections: Mutex::new(Connections::default()),
        });
        let accepting = {
            let shared = shared.clone();
            std::thread::spawn(move || accept(&self.listener, &shared))
        };
        Running {
            url: format!("http://{}", self.address),
            address: self.address,
            shared,
            accepting: Some(accepting),
        }
    }
}

/// What the connection threads share.
struct Shared {
    /// See [`Endpoint::with_preflight_delay`].
    preflight_delay: Duration,
    state: Mutex<State>,
    stopping: AtomicBool,
    /// Wakes the threads waiting out a fault's `delayMs` when the server stops.
    stop_signal: (Mutex<()>, Condvar),
    connections: Mutex<Connections>,
}

impl Shared {
    /// Waits `delay`, or less if the server stops; whether it is stopping.
    fn wait(&self, delay: Duration) -> bool {
        let (mutex, signal) = &self.stop_signal;
        let guard = lock(mutex);
        let _ = signal
            .wait_timeout_while(guard, delay, |()| !self.stopping.load(Ordering::SeqCst))
            .unwrap_or_else(PoisonError::into_inner);
        self.stopping.load(Ordering::SeqCst)
    }
}

/// The open connections, to close them when the server stops.
#[derive(Default)]
struct Connections {
    next_id: u64,
    open: HashMap<u64, Arc<TcpStream>>,
    threads: Vec<JoinHandle<()>>,
}

/// A serving endpoint; dropping it closes every connection and stops.
pub struct Running {
    url: String,
    address: SocketAddr,
    shared: Arc<Shared>,
    accepting: Option<JoinHandle<()>>,
}

impl Running {
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Blocks while the server runs (for the binary, until it is killed).
    pub fn wait(mut self) {
        if let Some(accepting) = self.accepting.take() {
            let _ = accepting.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        {
            // Under the lock, so that no waiter misses it between its check
            // of `stopping` and its wait.
            let (mutex, signal) = &self.shared.stop_signal;
            let _guard = lock(mutex);
            signal.notify_all();
        }
        // Wakes the accept loop, which then sees `stopping`.
        let _ = TcpStream::connect(self.address);
        if let Some(accepting) = self.accepting.take() {
            let _ = accepting.join();
        }
        let threads = {
            let mut connections = lock(&self.shared.connections);
            for stream in connections.open.values() {
                let _ = stream.shutdown(Shutdown::Both);
            }
            std::mem::take(&mut connections.threads)
        };
        for thread in threads {
            let _ = thread.join();
        }
    }
}

fn accept(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else {
            // Out of file descriptors, say: wait for some to close.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let stream = Arc::new(stream);
        let mut connections = lock(&shared.connections);
        connections.threads.retain(|thread| !thread.is_finished());
        if connections.open.len() >= MAX_CONNECTIONS {
            continue;
        }
        let id = connections.next_id;
        connections.next_id += 1;
        connections.open.insert(id, stream.clone());
        let shared = shared.clone();
        connections.threads.push(std::thread::spawn(move || {
            serve_connection(&shared, &stream);
            lock(&shared.connections).open.remove(&id);
        }));
    }
}

/// A request as read from the wire, with what the connection needs to know.
struct Incoming {
    request: HttpRequest,
    /// The client keeps the connection for further requests.
    keep_alive: bool,
}

/// Why no request could be read.
enum Unreadable {
    /// The connection closed (or failed) between requests.
    Closed,
    /// A malformed request: answered with this status, then closed.
    Malformed(u16),
}

impl From<io::Error> for Unreadable {
    fn from(_: io::Error) -> Self {
        Unreadable::Closed
    }
}

fn serve_connection(shared: &Shared, stream: &Arc<TcpStream>) {
    let mut reader = BufReader::new(&**stream);
    let mut writer = &**stream;
    loop {
        let incoming = match read_request(&mut reader, &mut writer) {
            Ok(incoming) => incoming,
            Err(Unreadable::Closed) => return,
            Err(Unreadable::Malformed(status)) => {
                let response = HttpResponse::new(status, "text/plain", Vec::new());
                let _ = write_response(&mut writer, &response, false, true);
                return close_gently(stream, &mut reader);
            }
        };
        let request = &incoming.request;
        let outcome = {
            let mut state = lock(&shared.state);
            faults::intercept(&mut state, request)
                .unwrap_or_else(|| Misbehaviour::answer(router::handle(&mut state, request)))
        };
        let mut delay = outcome.delay;
        if request.method == "OPTIONS" {
            delay += shared.preflight_delay;
        }
        if !delay.is_zero() && shared.wait(delay) {
            return;
        }
        let head_only = request.method == "HEAD";
        let close = !incoming.keep_alive;
        let written = match outcome.play {
            Play::Answer(response) => write_response(&mut writer, &response, head_only, close),
            Play::Huge(response, bytes) => write_head(&mut writer, &response, bytes, close)
                .and_then(|()| faults::write_huge_body(&mut writer, bytes)),
            Play::Half(response) => {
                let half = &response.body[..response.body.len() / 2];
                let _ = write_head(&mut writer, &response, response.body.len() as u64, false)
                    .and_then(|()| writer.write_all(half));
                return hold(&mut reader);
            }
            Play::Hang => return hold(&mut reader),
            Play::Reset => return reset(shared, stream),
        };
        if written.is_err() || close {
            let _ = stream.shutdown(Shutdown::Write);
            return;
        }
    }
}

/// Ends a connection whose client may still be sending: closing with unread
/// bytes would reset it, and the client might lose the answer sent.
fn close_gently(stream: &TcpStream, reader: &mut impl Read) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    let _ = io::copy(&mut reader.take(MAX_BODY_BYTES), &mut io::sink());
}

/// Keeps the connection open without a word until the client gives up (or
/// the server stops, which shuts the socket), reading and dropping whatever
/// the client still sends.
fn hold(reader: &mut impl Read) {
    let mut sink = [0u8; 4096];
    while matches!(reader.read(&mut sink), Ok(n) if n > 0) {}
}

/// Closes the connection with a TCP reset (SO_LINGER 0): the client's read
/// fails with ECONNRESET rather than seeing an orderly end of stream.
fn reset(shared: &Shared, stream: &TcpStream) {
    let _ = socket2::SockRef::from(stream).set_linger(Some(Duration::ZERO));
    // The socket closes, and resets, when its last handle goes: the
    // connection thread's, once the registry's is gone.
    let mut connections = lock(&shared.connections);
    connections
        .open
        .retain(|_, open| !std::ptr::eq(Arc::as_ptr(open), stream));
}

fn read_request(
    reader: &mut BufReader<&TcpStream>,
    writer: &mut &TcpStream,
) -> Result<Incoming, Unreadable> {
    let mut head_budget = MAX_HEAD_BYTES;
    let mut line = read_line(reader, &mut head_budget)?;
    // A client may send empty lines before a request (RFC 9112, 2.2).
    while line.is_empty() {
        line = read_line(reader, &mut head_budget)?;
    }
    let malformed = Unreadable::Malformed(400);
    let mut parts = line.split(' ');
    let (Some(method), Some(url), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed);
    };
    let http_1_0 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        _ if version.starts_with("HTTP/") => return Err(Unreadable::Malformed(505)),
        _ => return Err(malformed),
    };
    if method.is_empty() || !url.starts_with(['/', '*']) && !url.contains("://") {
        return Err(malformed);
    }
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader, &mut head_budget)?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').ok_or(Unreadable::Malformed(400))?;
        if name.is_empty() || name.contains([' ', '\t']) {
            return Err(Unreadable::Malformed(400));
        }
        headers.push((name.to_owned(), value.trim().to_owned()));
    }
    let mut request = HttpRequest {
        method: method.to_owned(),
        url: url.to_owned(),
        headers,
        body: Vec::new(),
    };
    let connection = request
        .header("connection")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let keep_alive = if http_1_0 {
        connection.contains("keep-alive")
    } else {
        !connection.contains("close")
    };
    let chunked = match request.header("transfer-encoding") {
        Some(coding) if coding.to_ascii_lowercase().ends_with("chunked") => true,
        Some(_) => return Err(Unreadable::Malformed(501)),
        None => false,
    };
    let length = match request.header("content-length") {
        _ if chunked => None,
        Some(text) => Some(
            text.parse::<u64>()
                .map_err(|_| Unreadable::Malformed(400))?,
        ),
        None => None,
    };
    let expects_body = chunked || length.is_some_and(|n| n > 0);
    let continues = request
        .header("expect")
        .is_some_and(|e| e.eq_ignore_ascii_case("100-continue"));
    if expects_body && continues {
        writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    }
    request.body = if chunked {
        read_chunked(reader)?
    } else {
        read_bounded(reader, length.unwrap_or(0))?
    };
    Ok(Incoming {
        request,
        keep_alive,
    })
}

/// One CRLF- (or LF-) terminated line of the head, within the head's budget.
fn read_line(reader: &mut impl BufRead, budget: &mut u64) -> Result<String, Unreadable> {
    let mut bytes = Vec::new();
    let read = reader
        .by_ref()
        .take(*budget)
        .read_until(b'\n', &mut bytes)?;
    *budget -= read as u64;
    match bytes.last() {
        None => Err(Unreadable::Closed),
        Some(b'\n') => {
            bytes.pop();
            if bytes.last() == Some(&b'\r') {
                bytes.pop();
            }
            String::from_utf8(bytes).map_err(|_| Unreadable::Malformed(400))
        }
        // The budget ran out before the end of the line.
        Some(_) if *budget == 0 => Err(Unreadable::Malformed(431)),
        Some(_) => Err(Unreadable::Closed),
    }
}

/// `length` bytes, of which the first [`MAX_BODY_BYTES`] are kept.
fn read_bounded(reader: &mut impl Read, length: u64) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    let kept = reader
        .by_ref()
        .take(length.min(MAX_BODY_BYTES))
        .read_to_end(&mut body)?;
    let dropped = io::copy(
        &mut reader.by_ref().take(length - kept as u64),
        &mut io::sink(),
    )?;
    if kept as u64 + dropped < length {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(body)
}

/// A `Transfer-Encoding: chunked` body, of which the first
/// [`MAX_BODY_BYTES`] are kept; trailers are dropped.
fn read_chunked(reader: &mut impl BufRead) -> Result<Vec<u8>, Unreadable> {
    let mut body = Vec::new();
    loop {
        let mut budget = MAX_HEAD_BYTES;
        let line = read_line(reader, &mut budget)?;
        let size = line.split(';').next().unwrap_or_default().trim();
        let size = u64::from_str_radix(size, 16).map_err(|_| Unreadable::Malformed(400))?;
        if size == 0 {
            while !read_line(reader, &mut budget)?.is_empty() {}
            return Ok(body);
        }
        let room = MAX_BODY_BYTES.saturating_sub(body.len() as u64);
        let chunk = read_bounded(reader, size)?;
        body.extend_from_slice(&chunk[..chunk.len().min(room as usize)]);
        if !read_line(reader, &mut budget)?.is_empty() {
            return Err(Unreadable::Malformed(400));
        }
    }
}

/// The status line and headers, for a body of `length` bytes. A
/// `Content-Length` the response brings (a HEAD answer's) is kept.
fn write_head(
    out: &mut impl Write,
    response: &HttpResponse,
    length: u64,
    close: bool,
) -> io::Result<()> {
    out.write_all(&head(response, length, close))
}

fn head(response: &HttpResponse, length: u64, close: bool) -> Vec<u8> {
    let status = response.status;
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    head.push_str(&format!(
        "Date: {}\r\n",
        crate::storage::time::http_date(now)
    ));
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    // No length for answers that never have a body (RFC 9110, 8.6).
    let bodiless = status < 200 || status == 204 || status == 304;
    if !bodiless && response.header("content-length").is_none() {
        head.push_str(&format!("Content-Length: {length}\r\n"));
    }
    if close {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    head.into_bytes()
}

fn write_response(
    out: &mut impl Write,
    response: &HttpResponse,
    head_only: bool,
    close: bool,
) -> io::Result<()> {
    let mut bytes = head(response, response.body.len() as u64, close);
    if !head_only {
        bytes.extend_from_slice(&response.body);
    }
    out.write_all(&bytes)?;
    out.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        206 => "Partial Content",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        416 => "Range Not Satisfiable",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}
