//! Writes one document of each kind, as PDF and DOCX, from the sample data (示例文书):
//! `cargo run -p kaohe-docs --example letters -- OUTDIR`.

use std::path::PathBuf;
use std::process::ExitCode;

use kaohe_docs::{render, sample_data, DocKind, Format};

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("用法 / usage: letters OUTDIR");
        return ExitCode::from(2);
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!(
            "无法创建目录 {} / cannot create {}: {e}",
            dir.display(),
            dir.display()
        );
        return ExitCode::FAILURE;
    }
    for kind in DocKind::all() {
        let data = sample_data(kind);
        for format in [Format::Pdf, Format::Docx] {
            let start = std::time::Instant::now();
            let bytes = match render(kind, format, &data, None) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("{}: {e}", kind.code());
                    return ExitCode::FAILURE;
                }
            };
            let path = dir.join(format!("{}.{}", kind.code(), format.extension()));
            if let Err(e) = std::fs::write(&path, &bytes) {
                eprintln!(
                    "无法写入 {} / cannot write {}: {e}",
                    path.display(),
                    path.display()
                );
                return ExitCode::FAILURE;
            }
            println!(
                "{}  {} bytes  {:?}",
                path.display(),
                bytes.len(),
                start.elapsed()
            );
        }
    }
    ExitCode::SUCCESS
}
