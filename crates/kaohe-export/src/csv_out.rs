//! CSV output (CSV 导出): one row per person, Chinese header, UTF-8 with a byte-order mark so
//! Excel opens it as UTF-8. Numbers are rounded for display with the policy's decimals (X2);
//! the exact values are in the JSON output.

use crate::columns::columns;
use crate::labels;
use crate::rows::{row, Index};
use crate::{ExportError, Lang};
use kaohe_engine::result::PeriodResult;
use kaohe_policy::model::Policy;
use std::io::Write;

/// UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One BOM and one header, then every period's rows (so `--all-periods` stays one table).
pub fn write(
    policy: &Policy,
    results: &[PeriodResult],
    mut w: impl Write,
) -> Result<(), ExportError> {
    w.write_all(BOM)?;
    let cols = columns(policy);
    let dp = policy.policy.decimals;
    let mut out = ::csv::Writer::from_writer(w);
    let mut header: Vec<String> = ["期间", "排名组", "排名", "工号", "姓名"]
        .map(String::from)
        .to_vec();
    header.extend(cols.parts.iter().map(|c| c.name.clone()));
    header.extend(["总分", "状态", "末位线", "豁免", "否决", "历史", "结果"].map(String::from));
    out.write_record(&header)?;
    for result in results {
        let index = Index::new(result);
        for p in &result.people {
            let r = row(policy, &cols, &index, p, Lang::Zh);
            let mut rec: Vec<String> = vec![
                result.period.label.clone(),
                p.group.clone(),
                p.rank.map(|k| k.to_string()).unwrap_or_default(),
                p.id.clone(),
                p.name.clone(),
            ];
            rec.extend(r.values.iter().map(|v| v.show(dp, "")));
            rec.push(r.total.show(dp, ""));
            rec.push(labels::status(p.status, Lang::Zh).to_string());
            rec.push(r.line);
            rec.push(r.exempt);
            rec.push(r.veto);
            rec.push(r.history);
            rec.push(r.outcomes);
            out.write_record(&rec)?;
        }
    }
    out.flush()?;
    Ok(())
}
