//! `cognito-local --seed <file.json> [--port N]`: serves the seeded user pools
//! on http://127.0.0.1:<port> (default 9229; 0 picks a free port) and prints
//! one line `cognito-local listening on <url>` once it accepts requests.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use cognito_local::http::Endpoint;
use cognito_local::jwt::{Signer, KEY_BITS};
use cognito_local::{seed, Env, State};

const DEFAULT_PORT: u16 = 9229;
const USAGE: &str = "usage: cognito-local --seed <file.json> [--port N]";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("cognito-local: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let (seed_path, port) = parse_args(std::env::args().skip(1))?;
    let seed = seed::load(&seed_path)?;
    let endpoint =
        Endpoint::bind(port).map_err(|e| format!("cannot listen on port {port}: {e}"))?;
    let mut env = Env::system();
    let signer = Signer::generate(&mut env, KEY_BITS).map_err(|e| e.to_string())?;
    let state = State::new(seed, signer, env, endpoint.url())?;
    let running = endpoint.serve(state);
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "cognito-local listening on {}", running.url())
        .and_then(|()| stdout.flush())
        .map_err(|e| e.to_string())?;
    drop(stdout);
    running.wait();
    Ok(())
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<(PathBuf, u16), String> {
    let mut seed = None;
    let mut port = DEFAULT_PORT;
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--seed" => seed = Some(PathBuf::from(value()?)),
            "--port" => {
                port = value()?
                    .parse()
                    .map_err(|_| format!("--port needs a number from 0 to 65535\n{USAGE}"))?
            }
            _ => return Err(format!("unknown argument {arg}\n{USAGE}")),
        }
    }
    Ok((seed.ok_or(USAGE)?, port))
}
