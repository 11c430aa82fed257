//! Running the binary while measuring it: its peak resident memory (VmHWM, read from
//! /proc while it runs, Linux only) and its wall time, for the reliability tests' bounds.

#![allow(dead_code)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest a measured run may take before it is killed (and fails its test).
const TIMEOUT: Duration = Duration::from_secs(120);

/// One finished, measured run.
pub struct Measured {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// Peak resident memory in MiB (0 where /proc is not available).
    pub peak_mib: u64,
    pub elapsed: Duration,
}

impl Measured {
    pub fn context(&self) -> String {
        format!(
            "exit code {}, peak {} MiB, {:.1} s\nstdout:\n{}\nstderr:\n{}",
            self.code,
            self.peak_mib,
            self.elapsed.as_secs_f64(),
            self.stdout.chars().take(4000).collect::<String>(),
            self.stderr.chars().take(4000).collect::<String>()
        )
    }
}

/// VmHWM of process `pid` in KiB, if readable.
fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Run `arbiter args…` with `env` set, from the repository root, measuring it.
pub fn run(args: &[&str], env: &[(&str, &str)]) -> Measured {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_arbiter"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn arbiter");
    let pid = child.id();
    // Drain the pipes on threads so that a chatty child never blocks on a full pipe.
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = std::io::Read::read_to_end(&mut out, &mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = std::io::Read::read_to_end(&mut err, &mut s);
        s
    });
    let mut peak = 0;
    let status = loop {
        if let Some(kib) = peak_kib(pid) {
            peak = peak.max(kib);
        }
        match child.try_wait().expect("wait") {
            Some(status) => break status,
            // A hang is a finding, not a stuck test suite: killed, it exits with no code.
            None if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                break child.wait().expect("wait");
            }
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    };
    let elapsed = start.elapsed();
    Measured {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.join().expect("stdout thread")).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().expect("stderr thread")).into_owned(),
        peak_mib: peak / 1024,
        elapsed,
    }
}
