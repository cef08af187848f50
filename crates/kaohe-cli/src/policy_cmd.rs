//! `kaohe policy check|explain` (制度校验与说明).

use crate::args::{Lang, PolicyCommand};
use crate::inputs::read_policy;
use crate::run::write_stdout;
use crate::Problems;

/// Run a policy sub-command.
pub fn policy(cmd: &PolicyCommand) -> Result<(), Problems> {
    match cmd {
        PolicyCommand::Check { files } => {
            let mut problems = Vec::new();
            for f in files {
                match read_policy(f) {
                    Ok(p) => write_stdout(&format!(
                        "✓ {}: {} {}（{}）通过校验 / valid\n",
                        f.display(),
                        p.policy.id,
                        p.policy.version,
                        p.policy.name
                    ))?,
                    Err(e) => problems.extend(e.0),
                }
            }
            if problems.is_empty() {
                Ok(())
            } else {
                Err(Problems(problems))
            }
        }
        PolicyCommand::Explain { file, lang } => {
            let p = read_policy(file)?;
            let l = match lang {
                Lang::Zh => kaohe_policy::explain::Lang::Zh,
                Lang::En => kaohe_policy::explain::Lang::En,
            };
            write_stdout(&kaohe_policy::explain::render(&p, l))
        }
    }
}
