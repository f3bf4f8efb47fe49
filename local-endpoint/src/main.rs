//! `cognito-local --seed <file.json> [--port N] [--preflight-delay-ms N]`:
//! serves the seeded user pools on http://127.0.0.1:<port> (default 9229; 0
//! picks a free port) and prints one line `cognito-local listening on <url>`
//! once it accepts requests. `--preflight-delay-ms` holds every CORS
//! preflight answer that long (for the phone benchmark, which needs the
//! preflights to cost a round trip like the other requests).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use cognito_local::http::Endpoint;
use cognito_local::jwt::{Signer, KEY_BITS};
use cognito_local::{seed, Env, State};

const DEFAULT_PORT: u16 = 9229;
const USAGE: &str = "usage: cognito-local --seed <file.json> [--port N] [--preflight-delay-ms N]";
/// A longer hold would only stall a browser into its own timeouts.
const MAX_PREFLIGHT_DELAY_MS: u64 = 10_000;

struct Args {
    seed: PathBuf,
    port: u16,
    preflight_delay: Duration,
}

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
    let Args {
        seed: seed_path,
        port,
        preflight_delay,
    } = parse_args(std::env::args().skip(1))?;
    let seed = seed::load(&seed_path)?;
    let endpoint = Endpoint::bind(port)
        .map_err(|e| format!("cannot listen on port {port}: {e}"))?
        .with_preflight_delay(preflight_delay);
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

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut seed = None;
    let mut port = DEFAULT_PORT;
    let mut preflight_delay = Duration::ZERO;
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
            "--preflight-delay-ms" => {
                let ms = value()?
                    .parse()
                    .ok()
                    .filter(|ms| *ms <= MAX_PREFLIGHT_DELAY_MS)
                    .ok_or_else(|| {
                        format!("--preflight-delay-ms needs a number from 0 to {MAX_PREFLIGHT_DELAY_MS}\n{USAGE}")
                    })?;
                preflight_delay = Duration::from_millis(ms);
            }
            _ => return Err(format!("unknown argument {arg}\n{USAGE}")),
        }
    }
    Ok(Args {
        seed: seed.ok_or(USAGE)?,
        port,
        preflight_delay,
    })
}
