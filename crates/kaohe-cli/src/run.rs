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

/// A file written beside its final name and renamed into place only when every output is
/// complete, so that a failed run never leaves a half-written file (all or nothing).
struct Staged {
    tmp: std::path::PathBuf,
    path: std::path::PathBuf,
}

fn cannot_write(path: &std::path::Path, e: impl std::fmt::Display) -> Problems {
    Problems::one(format!(
        "{}: 无法写入：{e} / cannot write: {e}",
        path.display()
    ))
}

impl Staged {
    /// The temporary name for `path`: same folder, hidden, never an existing user file.
    fn new(path: &std::path::Path) -> Staged {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = path.with_file_name(format!(".{name}.{}.kaohe-tmp", std::process::id()));
        Staged {
            tmp,
            path: path.to_path_buf(),
        }
    }

    fn write(path: &std::path::Path, bytes: &[u8]) -> Result<Staged, Problems> {
        let s = Staged::new(path);
        std::fs::write(&s.tmp, bytes).map_err(|e| {
            let _ = std::fs::remove_file(&s.tmp);
            cannot_write(path, e)
        })?;
        Ok(s)
    }

    fn commit(self) -> Result<(), Problems> {
        std::fs::rename(&self.tmp, &self.path).map_err(|e| {
            let _ = std::fs::remove_file(&self.tmp);
            cannot_write(&self.path, e)
        })
    }

    fn discard(self) {
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// Rename every staged file into place; on the first failure the rest are discarded.
fn commit_all(staged: Vec<Staged>) -> Result<(), Problems> {
    let mut rest = staged.into_iter();
    while let Some(s) = rest.next() {
        if let Err(e) = s.commit() {
            rest.for_each(Staged::discard);
            return Err(e);
        }
    }
    Ok(())
}

/// Write text to standard output. A closed pipe (`| head`) is not an error; a full disk or
/// another failure is (exit 1), never silently dropped.
pub(crate) fn write_stdout(text: &str) -> Result<(), Problems> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Problems::one(format!(
            "无法写入标准输出：{e} / cannot write to standard output: {e}"
        ))),
        _ => Ok(()),
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
    // Everything is rendered first; files are staged and renamed into place together.
    let text: Option<String> = match args.format {
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
            Some(format!("{intro}{text}"))
        }
        Format::Json => Some(if shown.len() == 1 {
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
        }),
        Format::Csv => {
            let mut buf = Vec::new();
            kaohe_export::csv_all(policy, &shown, &mut buf)
                .map_err(|e| Problems::one(e.to_string()))?;
            Some(String::from_utf8_lossy(&buf).into_owned())
        }
        Format::Xlsx => None,
    };
    let mut staged = Vec::new();
    let result = stage_outputs(args, policy, &shown, text.as_deref(), &history, &mut staged);
    if let Err(e) = result {
        staged.into_iter().for_each(Staged::discard);
        return Err(e);
    }
    commit_all(staged)?;
    match (&text, &args.out) {
        (Some(t), None) => write_stdout(t),
        _ => Ok(()),
    }
}

/// Write the output file (if any) and the saved history (if asked) to temporary files.
fn stage_outputs(
    args: &RunArgs,
    policy: &kaohe_policy::Policy,
    shown: &[PeriodResult],
    text: Option<&str>,
    history: &History,
    staged: &mut Vec<Staged>,
) -> Result<(), Problems> {
    match (text, &args.out) {
        (Some(t), Some(path)) => staged.push(Staged::write(path, t.as_bytes())?),
        (Some(_), None) => {}
        (None, out) => {
            let path = out.as_ref().ok_or_else(|| {
                Problems::one("xlsx 格式需要 --out 文件名 / xlsx needs --out FILE")
            })?;
            let s = Staged::new(path);
            let written = kaohe_export::xlsx(policy, shown, &s.tmp);
            staged.push(s);
            written.map_err(|e| Problems::one(e.to_string()))?;
        }
    }
    if let Some(path) = &args.save_history {
        let mut buf = Vec::new();
        kaohe_import::write_history_csv(history, &mut buf)
            .map_err(|e| Problems::one(e.to_string()))?;
        staged.push(Staged::write(path, &buf)?);
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
    write_stdout(&text)
}
