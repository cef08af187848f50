//! `kaohe` — the command line (命令行).
//!
//! Thin shell around the crates: reads files (policy, roster, facts, ratings, history,
//! decisions), runs the pure engine period by period, and writes tables, JSON, CSV or XLSX.
//! Exit codes: 0 success, 1 bad input (every problem printed, in Chinese and English), 2 usage.

mod args;
mod inputs;
mod manifest;
mod policy_cmd;
mod run;
mod server_cmd;

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let outcome = match cli.command {
        args::Command::Run(a) => run::run(&a),
        args::Command::Explain(a) => run::explain(&a),
        args::Command::Policy { command } => policy_cmd::policy(&command),
        args::Command::Serve(a) => server_cmd::serve(&a),
        args::Command::Demo(a) => server_cmd::demo(&a),
        args::Command::Backup(a) => server_cmd::backup(&a),
        args::Command::Restore(a) => server_cmd::restore(&a),
        args::Command::Audit {
            command: args::AuditCommand::Verify(a),
        } => server_cmd::audit_verify(&a),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(problems) => {
            // Not `eprintln!`: it panics when stderr is closed (e.g. `2>&1 | head`).
            let mut err = std::io::stderr().lock();
            for p in &problems.0 {
                let _ = writeln!(err, "{p}");
            }
            ExitCode::from(1)
        }
    }
}

/// Problems to report to the user, each already bilingual.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<String>);

impl Problems {
    /// One problem.
    pub fn one(text: impl Into<String>) -> Problems {
        Problems(vec![text.into()])
    }
}
