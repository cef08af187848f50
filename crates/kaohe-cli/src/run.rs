//! `kaohe run` and `kaohe explain` (计算与说明): evaluate period by period, then write.

use crate::args::{ExplainArgs, Format, Lang, RunArgs};
use crate::inputs::{load, Loaded};
use crate::Problems;
use indicatif::{ProgressBar, ProgressStyle};
use kaohe_engine::data::History;
use kaohe_engine::{Engine, PeriodResult};
use std::io::{IsTerminal, Write};

fn lang(l: Lang) -> kaohe_export::Lang {
    match l {
        Lang::Zh => kaohe_export::Lang::Zh,
        Lang::En => kaohe_export::Lang::En,
    }
}

/// Evaluate every loaded period in order; returns all results and the history after the last.
fn evaluate(loaded: &Loaded) -> Result<(Vec<PeriodResult>, History), Problems> {
    let engine = Engine::new(&loaded.policy).map_err(|e| Problems::one(e.to_string()))?;
    let people: usize = loaded.periods.iter().map(|p| p.facts.len()).sum();
    // Progress only for long runs, and only on a terminal.
    let bar = if std::io::stderr().is_terminal() && people > 50_000 {
        let b = ProgressBar::new(loaded.periods.len() as u64);
        b.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} 期 periods")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b.set_message("计算中 computing");
        Some(b)
    } else {
        None
    };
    let mut history = loaded.history.clone();
    let mut results = Vec::with_capacity(loaded.periods.len());
    for input in &loaded.periods {
        let result = engine.evaluate(input, &history);
        kaohe_engine::record(&result, &mut history);
        results.push(result);
        if let Some(b) = &bar {
            b.inc(1);
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok((results, history))
}

fn write_out(out: &Option<std::path::PathBuf>, text: &str) -> Result<(), Problems> {
    match out {
        Some(path) => std::fs::write(path, text).map_err(|e| {
            Problems::one(format!(
                "{}: 无法写入：{e} / cannot write: {e}",
                path.display()
            ))
        }),
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (e.g. `| head`) is not an error worth a message.
            let _ = stdout.write_all(text.as_bytes());
            Ok(())
        }
    }
}

/// `kaohe run`.
pub fn run(args: &RunArgs) -> Result<(), Problems> {
    let loaded = load(&args.data)?;
    let (results, history) = evaluate(&loaded)?;
    let shown: Vec<PeriodResult> = if args.all_periods {
        results
    } else {
        results
            .into_iter()
            .filter(|r| r.period == loaded.shown)
            .collect()
    };
    let policy = &loaded.policy;
    match args.format {
        Format::Table => {
            let intro = loaded
                .description
                .as_ref()
                .map(|d| format!("示例 Example: {d}\n\n"))
                .unwrap_or_default();
            let text: String = shown
                .iter()
                .map(|r| kaohe_export::table(policy, r, lang(args.data.lang)))
                .collect::<Vec<_>>()
                .join("\n");
            write_out(&args.out, &format!("{intro}{text}"))?;
        }
        Format::Json => {
            let text = if shown.len() == 1 {
                kaohe_export::json(&shown[0])
            } else {
                format!(
                    "[\n{}\n]\n",
                    shown
                        .iter()
                        .map(kaohe_export::json)
                        .collect::<Vec<_>>()
                        .join(",\n")
                )
            };
            write_out(&args.out, &text)?;
        }
        Format::Csv => {
            let mut buf = Vec::new();
            for r in &shown {
                kaohe_export::csv(policy, r, &mut buf).map_err(|e| Problems::one(e.to_string()))?;
            }
            write_out(&args.out, &String::from_utf8_lossy(&buf))?;
        }
        Format::Xlsx => {
            let path = args.out.as_ref().ok_or_else(|| {
                Problems::one("xlsx 格式需要 --out 文件名 / xlsx needs --out FILE")
            })?;
            kaohe_export::xlsx(policy, &shown, path).map_err(|e| Problems::one(e.to_string()))?;
        }
    }
    if let Some(path) = &args.save_history {
        let file = std::fs::File::create(path).map_err(|e| {
            Problems::one(format!(
                "{}: 无法写入：{e} / cannot write: {e}",
                path.display()
            ))
        })?;
        kaohe_import::write_history_csv(&history, std::io::BufWriter::new(file))
            .map_err(|e| Problems::one(e.to_string()))?;
    }
    Ok(())
}

/// `kaohe explain`.
pub fn explain(args: &ExplainArgs) -> Result<(), Problems> {
    let loaded = load(&args.data)?;
    let (results, _) = evaluate(&loaded)?;
    let result = results
        .iter()
        .find(|r| r.period == loaded.shown)
        .ok_or_else(|| Problems::one("没有该期间的结果 / no result for that period"))?;
    let wanted = args.person.trim();
    let matches: Vec<&str> = result
        .people
        .iter()
        .filter(|p| p.id == wanted || p.name == wanted)
        .map(|p| p.id.as_str())
        .collect();
    let id = match matches.as_slice() {
        [one] => *one,
        [] => {
            return Err(Problems::one(format!(
                "{} 期间没有「{wanted}」的结果 / no result for \"{wanted}\" in {}",
                result.period.label, result.period.label
            )))
        }
        many => {
            return Err(Problems::one(format!(
                "姓名「{wanted}」不唯一（工号 {}），请用工号 / the name \"{wanted}\" is not unique (ids {}); use the id",
                many.join("、"),
                many.join(", ")
            )))
        }
    };
    let text = kaohe_export::person(&loaded.policy, result, id, lang(args.data.lang))
        .ok_or_else(|| Problems::one(format!("no result for {id}")))?;
    write_out(&None, &text)
}
