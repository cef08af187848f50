//! `kaohe-bench` — evaluate one month of a policy for a synthetic company and report the time
//! and peak memory. See BENCHMARKS.md for the figures and how to reproduce them.

use clap::Parser;
use kaohe_bench::{generate, Spec};
use kaohe_engine::data::Period;
use kaohe_engine::Engine;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Benchmark one policy-month on a synthetic company.
#[derive(Parser, Debug)]
struct Args {
    /// Policy files to benchmark.
    #[arg(required = true)]
    policies: Vec<PathBuf>,
    /// People.
    #[arg(long, default_value_t = 1_000_000)]
    people: usize,
    /// Branches (ranking groups).
    #[arg(long, default_value_t = 10_000)]
    branches: usize,
    /// Months of history before the evaluated month.
    #[arg(long, default_value_t = 24)]
    history: u32,
    /// Timed repetitions of the evaluation.
    #[arg(long, default_value_t = 3)]
    runs: u32,
    /// Turn the per-indicator explanations off (Engine::with_explanations(false)), as a bulk
    /// run would.
    #[arg(long)]
    lean: bool,
}

/// A `/proc/self/status` memory figure (`VmHWM` = peak, `VmRSS` = now), in MiB; Linux only.
fn status_mib(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// Peak resident memory of this process so far (VmHWM), in MiB; Linux only.
fn peak_mib() -> Option<u64> {
    status_mib("VmHWM:")
}

fn mib(v: Option<u64>) -> String {
    v.map_or("?".into(), |m| m.to_string())
}

fn main() -> ExitCode {
    let args = Args::parse();
    for path in &args.policies {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                return ExitCode::from(1);
            }
        };
        let policy = match kaohe_policy::load_str(&text, &path.display().to_string()) {
            Ok(p) => p,
            Err(errs) => {
                for e in errs {
                    eprintln!("{e}");
                }
                return ExitCode::from(1);
            }
        };
        let spec = Spec {
            people: args.people,
            branches: args.branches,
            history_months: args.history,
            month: Period::month(2026, 11),
            seed: 20261203,
        };
        let t = Instant::now();
        let company = generate(&policy, &spec);
        let gen_time = t.elapsed();
        // The input alone (roster, facts, 24 months of history), before any evaluation.
        let input_rss = status_mib("VmRSS:");
        let engine = match Engine::new(&policy) {
            Ok(e) => e.with_explanations(!args.lean),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(1);
            }
        };
        let mut times = Vec::new();
        let mut summary = String::new();
        for _ in 0..args.runs.max(1) {
            let t = Instant::now();
            let result = engine.evaluate(&company.input, &company.history);
            times.push(t.elapsed().as_secs_f64());
            let in_line = result
                .people
                .iter()
                .filter(|p| p.line == kaohe_engine::result::LinePosition::InLine)
                .count();
            summary = format!(
                "{} people scored, {} groups, {} in the line, {} ties, {} data errors",
                result.people.len(),
                result.groups.len(),
                in_line,
                result.ties.len(),
                result.data_errors.len()
            );
        }
        times.sort_by(|a, b| a.total_cmp(b));
        println!(
            "{} ({}, explanations {}): {} people, {} branches, {} months of history ({} records); generated in {:.2}s",
            policy.policy.id,
            path.display(),
            if args.lean { "off" } else { "on" },
            args.people,
            args.branches,
            args.history,
            company.history_records,
            gen_time.as_secs_f64()
        );
        println!("  {summary}");
        println!(
            "  resident after generating the input: {} MiB",
            mib(input_rss)
        );
        println!(
            "  evaluate: min {:.3}s, median {:.3}s over {} runs; peak memory {} MiB",
            times[0],
            times[times.len() / 2],
            times.len(),
            mib(peak_mib())
        );
    }
    ExitCode::SUCCESS
}
