//! A tiny real HTTP/1.1 server on loopback for `verify-code` URL tests: fixed routes, one
//! response per connection, redirect loops and an oversized body.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;

/// What a path answers.
#[derive(Clone)]
pub enum Route {
    /// 200 with this body.
    Ok(Vec<u8>),
    /// 302 to this location.
    Redirect(String),
    /// 200 with a body of this many bytes, streamed without Content-Length.
    Huge(usize),
}

/// A running server (threads end with the test process).
pub struct HttpServer {
    pub addr: SocketAddr,
}

impl HttpServer {
    pub fn start(routes: HashMap<String, Route>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let routes = Arc::new(routes);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let routes = routes.clone();
                thread::spawn(move || {
                    let _ = serve(stream, &routes);
                });
            }
        });
        HttpServer { addr }
    }

    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

fn serve(stream: TcpStream, routes: &HashMap<String, Route>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" || header == "\n" {
            break;
        }
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_owned();
    let mut out = stream;
    match routes.get(&path) {
        Some(Route::Ok(body)) => {
            write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n",
                body.len()
            )?;
            out.write_all(body)?;
        }
        Some(Route::Redirect(location)) => {
            write!(
                out,
                "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )?;
        }
        Some(Route::Huge(len)) => {
            write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"
            )?;
            let chunk = vec![b'x'; 64 * 1024];
            let mut sent = 0;
            while sent < *len {
                let n = chunk.len().min(len - sent);
                // The client stops reading at its cap and closes: a write error ends this.
                out.write_all(&chunk[..n])?;
                sent += n;
            }
        }
        None => {
            write!(
                out,
                "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found"
            )?;
        }
    }
    out.flush()
}
