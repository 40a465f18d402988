//! `verbatim check --external`: asks each external URL once, with a limit on requests in
//! flight, a timeout per request and a minimum interval between requests to one host, so
//! a large archive does not hammer the sites it quotes.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::links::ExternalLink;
use super::{Problem, ProblemKind, Severity};

/// Limits for external requests.
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// The longest a request may take, connection included.
    pub timeout: Duration,
    /// The shortest time between two requests to one host.
    pub per_host_interval: Duration,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions {
            concurrency: 8,
            timeout: Duration::from_secs(10),
            per_host_interval: Duration::from_millis(500),
        }
    }
}

/// The answer for one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Fine,
    Status(u16),
    Unreachable(String),
}

/// When each host may next be asked.
struct HostSchedule {
    interval: Duration,
    next: Mutex<HashMap<String, Instant>>,
}

impl HostSchedule {
    /// Reserves the next free slot for `host` and waits for it.
    fn wait_turn(&self, host: &str) {
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            let slot = next.get(host).copied().filter(|t| *t > now).unwrap_or(now);
            next.insert(host.to_string(), slot + self.interval);
            slot
        };
        std::thread::sleep(slot.saturating_duration_since(Instant::now()));
    }
}

/// The host part of an `http(s)://` URL, lowercased (`example.org:8080`).
fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    host.to_ascii_lowercase()
}

/// Asks for `url`: HEAD first, then GET when the server does not answer HEAD properly;
/// each request waits for the host's turn.
fn probe(agent: &ureq::Agent, schedule: &HostSchedule, url: &str) -> Outcome {
    let host = host(url);
    let ask = |head: bool| {
        schedule.wait_turn(&host);
        let result = if head {
            agent.head(url).call()
        } else {
            agent.get(url).call()
        };
        match result {
            Ok(response) => Ok(response.status().as_u16()),
            Err(error) => Err(error.to_string()),
        }
    };
    let answer = match ask(true) {
        Ok(status) if status < 400 => Ok(status),
        // Some servers refuse or mishandle HEAD; GET is the real test.
        _ => ask(false),
    };
    match answer {
        Ok(status) if status < 400 => Outcome::Fine,
        Ok(status) => Outcome::Status(status),
        Err(message) => Outcome::Unreachable(message),
    }
}

/// Checks each external link once and returns a problem per place that links to a
/// failing one.
pub fn check(links: &[ExternalLink], options: &ExternalOptions) -> Vec<Problem> {
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .http_status_as_error(false)
        .user_agent(concat!("verbatim-check/", env!("CARGO_PKG_VERSION")))
        .build();
    let agent: ureq::Agent = config.into();
    let schedule = HostSchedule {
        interval: options.per_host_interval,
        next: Mutex::new(HashMap::new()),
    };
    let queue: Mutex<VecDeque<&ExternalLink>> = Mutex::new(links.iter().collect());
    let results: Mutex<Vec<(&ExternalLink, Outcome)>> = Mutex::new(Vec::new());
    let workers = options.concurrency.clamp(1, links.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
                    let Some(link) = next else { break };
                    let outcome = probe(&agent, &schedule, &link.url);
                    results
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((link, outcome));
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut problems = Vec::new();
    for (link, outcome) in results {
        let why = match outcome {
            Outcome::Fine => continue,
            Outcome::Status(status) => format!("answers HTTP {status}"),
            Outcome::Unreachable(message) => format!("cannot be reached: {message}"),
        };
        let elsewhere = link.count.saturating_sub(link.origins.len());
        for origin in &link.origins {
            let more = if elsewhere > 0 {
                format!(" (linked from {elsewhere} more places)")
            } else {
                String::new()
            };
            problems.push(Problem {
                file: origin.file.clone(),
                line: origin.line,
                severity: Severity::Error,
                kind: ProblemKind::ExternalLink,
                message: format!("external link `{}` {why}{more}", link.url),
            });
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(host("https://Example.org/a?b"), "example.org");
        assert_eq!(host("http://user@127.0.0.1:8080/x"), "127.0.0.1:8080");
        assert_eq!(host("https://example.org"), "example.org");
    }

    #[test]
    fn one_host_is_asked_at_the_interval() {
        let schedule = HostSchedule {
            interval: Duration::from_millis(40),
            next: Mutex::new(HashMap::new()),
        };
        let started = Instant::now();
        for _ in 0..3 {
            schedule.wait_turn("a");
        }
        schedule.wait_turn("b");
        let elapsed = started.elapsed();
        assert!(elapsed >= Duration::from_millis(80), "{elapsed:?}");
    }
}
