//! Example P8 琥珀湾 (examples/p8-amber-bay): 14 consultants, 2025-01 … 2025-12.
//!
//! Every month is designed so that a P8 rule fires; the expected outcome per month is worked out
//! by hand in examples/p8-amber-bay/README.md. Amounts are in 万元 (10,000 yuan).
//! Everyone not listed as "missed" in a month meets their target by a margin, so only the
//! listed people can enter the line.

use crate::roster::{self, Row};
use crate::xlsx::{self, full_width, hundredths, n, t, tenths, Cell};
use crate::Manifest;
use rust_xlsxwriter::XlsxError;
use std::path::Path;

/// (工号, 姓名, 入职日期, 状态, monthly target in 万元)
type Consultant = (&'static str, &'static str, (u16, u8, u8), &'static str, i64);

const PEOPLE: [Consultant; 14] = [
    ("HB01", "林晓峰", (2021, 3, 15), "转正", 300),
    ("HB02", "周雅琴", (2020, 7, 1), "转正", 300),
    ("HB03", "陈志远", (2022, 2, 20), "转正", 300),
    ("HB04", "王思涵", (2019, 11, 11), "转正", 320),
    ("HB05", "赵静怡", (2023, 4, 3), "转正", 280),
    ("HB06", "孙浩然", (2022, 8, 8), "转正", 300),
    ("HB07", "吴梦瑶", (2021, 5, 17), "转正", 300),
    ("HB08", "郑凯文", (2023, 9, 1), "转正", 280),
    ("HB09", "王雨桐", (2022, 12, 5), "转正", 300),
    ("HB10", "何俊杰", (2020, 3, 9), "转正", 320),
    ("HB11", "许佳慧", (2023, 1, 16), "转正", 280),
    ("HB12", "马一鸣", (2024, 6, 24), "转正", 280),
    ("HB13", "高若溪", (2025, 6, 10), "转正", 200),
    ("HB14", "蒋子墨", (2025, 12, 1), "试用", 100),
];

/// A person who missed the target in a month: (工号, 销售额, 回款, 工作量完成率 in %).
type Missed = (&'static str, i64, i64, i64);

/// One designed month: month number, whether targets were issued, who missed.
struct Month {
    m: u32,
    targets: bool,
    missed: &'static [Missed],
}

/// The twelve designed months (see README.md for the expected outcomes).
const MONTHS: [Month; 12] = [
    // 01 P8.3 bottom two of those who missed: HB09, HB05.
    Month {
        m: 1,
        targets: true,
        missed: &[
            ("HB05", 180, 150, 88),
            ("HB09", 150, 120, 86),
            ("HB11", 210, 190, 90),
        ],
    },
    // 02 HB09 and HB07 enter; HB09 two in a row → elimination list (P8.6).
    Month {
        m: 2,
        targets: true,
        missed: &[
            ("HB09", 170, 140, 85),
            ("HB07", 190, 160, 87),
            ("HB03", 200, 170, 91),
        ],
    },
    // 03 no targets: bottom two of the ranking, HB10 and HB02 (P8.3).
    Month {
        m: 3,
        targets: false,
        missed: &[("HB10", 140, 110, 84), ("HB02", 160, 130, 89)],
    },
    // 04 only one missed: HB04 alone (P8.3).
    Month {
        m: 4,
        targets: true,
        missed: &[("HB04", 220, 200, 90)],
    },
    // 05 tie at 200 between HB06 and HB08 settled by 回款 (P8.4): HB12 and HB06 enter.
    Month {
        m: 5,
        targets: true,
        missed: &[
            ("HB12", 150, 100, 83),
            ("HB06", 200, 150, 88),
            ("HB08", 200, 180, 90),
            ("HB01", 250, 230, 92),
        ],
    },
    // 06 7 of 12 missed (58%): workload fallback, HB11 last (P8.8); HB13 new (P8.7).
    Month {
        m: 6,
        targets: true,
        missed: &[
            ("HB01", 260, 240, 88),
            ("HB02", 240, 220, 81),
            ("HB03", 230, 200, 93),
            ("HB04", 250, 230, 79),
            ("HB06", 220, 200, 90),
            ("HB07", 270, 250, 84),
            ("HB11", 210, 190, 72),
            ("HB13", 80, 60, 50),
        ],
    },
    // 07 HB06 and HB10 enter; HB06's May entry is not "in a row" (June had no line); HB13 exempt.
    Month {
        m: 7,
        targets: true,
        missed: &[
            ("HB06", 180, 150, 86),
            ("HB10", 190, 160, 85),
            ("HB02", 230, 200, 88),
            ("HB13", 60, 50, 70),
        ],
    },
    // 08 HB02 and HB08 enter; HB10 met the target (exempt).
    Month {
        m: 8,
        targets: true,
        missed: &[
            ("HB02", 170, 150, 84),
            ("HB08", 175, 160, 86),
            ("HB12", 260, 240, 90),
        ],
    },
    // 09 HB10 and HB03 enter; HB10's run was broken by August's exemption.
    Month {
        m: 9,
        targets: true,
        missed: &[
            ("HB10", 160, 130, 83),
            ("HB03", 170, 150, 85),
            ("HB02", 240, 220, 88),
        ],
    },
    // 10 HB04 enters; HB07 and HB12 tie in sales AND 回款 for the last place: a person decides.
    Month {
        m: 10,
        targets: true,
        missed: &[
            ("HB04", 150, 120, 82),
            ("HB07", 200, 120, 86),
            ("HB12", 200, 120, 87),
            ("HB01", 260, 240, 91),
        ],
    },
    // 11 HB10 and HB05 enter; HB10: July, September, November = 3 in 6 → elimination list.
    Month {
        m: 11,
        targets: true,
        missed: &[
            ("HB10", 170, 150, 84),
            ("HB05", 180, 160, 85),
            ("HB08", 230, 200, 89),
        ],
    },
    // 12 HB04 enters; HB03 and HB11 tie in both for the last place: left to a person; HB14 new.
    Month {
        m: 12,
        targets: true,
        missed: &[
            ("HB04", 150, 130, 83),
            ("HB03", 190, 100, 87),
            ("HB11", 190, 100, 88),
            ("HB01", 250, 220, 90),
            ("HB14", 35, 20, 60),
        ],
    },
];

fn hired_by(hired: (u16, u8, u8), month: u32) -> bool {
    hired.0 < 2025 || (hired.0 == 2025 && u32::from(hired.1) <= month)
}

/// The month label as typed: the first half of the year as `2025-01`, the second as `2025年7月`.
fn month_label(m: u32) -> String {
    if m <= 6 {
        format!("2025-{m:02}")
    } else {
        format!("2025年{m}月")
    }
}

/// Rows of the facts sheet, in month then id order.
fn fact_rows() -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for (mi, month) in MONTHS.iter().enumerate() {
        for (pi, (id, name, hired, _, target)) in PEOPLE.iter().enumerate() {
            if !hired_by(*hired, month.m) {
                continue;
            }
            let (sales, collected, workload) = match month.missed.iter().find(|x| x.0 == *id) {
                Some(&(_, s, c, w)) => (s, c, w),
                None => {
                    // Met the target by 10–69 万元; 回款 about 80%; workload 85–98%.
                    let bump = 10 + ((pi as i64 * 7 + mi as i64 * 13) % 60);
                    let s = match (*id, month.m) {
                        ("HB04", 3) => 1234,
                        _ => target + bump,
                    };
                    // June: HB05 met the target but has the lowest workload: still exempt (P8.8).
                    let w = match (*id, month.m) {
                        ("HB05", 6) => 65,
                        _ => 85 + ((pi as i64 + mi as i64 * 3) % 14),
                    };
                    (s, s * 8 / 10, w)
                }
            };
            // Messy on purpose: a full-width amount, a thousands separator, percent text.
            let sales_cell = match (*id, month.m) {
                ("HB05", 1) => t(full_width(&sales.to_string())),
                ("HB04", 3) => t("1,234"),
                _ => n(sales),
            };
            let target_cell = if month.targets { n(*target) } else { Cell::E };
            let workload_cell = if (pi + mi) % 3 == 0 {
                t(format!("{workload}%"))
            } else {
                n(hundredths(workload))
            };
            rows.push(vec![
                t(*id),
                t(*name),
                t(month_label(month.m)),
                sales_cell,
                target_cell,
                n(tenths(collected * 10)),
                workload_cell,
            ]);
        }
    }
    rows
}

/// Write the example folder.
pub fn write(root: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let dir = root.join("p8-amber-bay");
    std::fs::create_dir_all(&dir)?;
    let people: Vec<Row> = PEOPLE
        .iter()
        .map(|(id, name, hired, status, _)| Row {
            id: (*id).into(),
            name: (*name).into(),
            region: "华东区域".into(),
            branch: "杭州分公司".into(),
            department: "营销部".into(),
            project: "琥珀湾".into(),
            post: "置业顾问".into(),
            level: String::new(),
            level_since: None,
            hired: Some(*hired),
            status: (*status).into(),
        })
        .collect();
    roster::write(&dir, &people)?;
    write_facts(&dir)?;
    // The October tie in both (P8.4/X5) was decided by the project team; December's is left open.
    std::fs::write(
        dir.join("decisions.csv"),
        "期间,排名组,工号,姓名,决定人,理由\n\
         2025-10,琥珀湾,HB12,马一鸣,琥珀湾项目组 韩立新,两人销售额与回款均相同；项目组讨论认定马一鸣当月带看记录不全，进入淘汰线\n",
    )?;
    Manifest {
        policy: "../../policies/p8-amber-bay.toml",
        roster: "roster.xlsx",
        facts: &["facts.xlsx"],
        ratings: None,
        decisions: Some("decisions.csv"),
        period: Some("2025-12"),
        description: "琥珀湾项目14名置业顾问2025年全年销售数据：豁免、后两名、回款裁决、人工裁决、新人、工作量兜底、连续两月与六个月三次。",
    }
    .write(&dir)?;
    Ok(())
}

fn write_facts(dir: &Path) -> Result<(), XlsxError> {
    let mut wb = xlsx::workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name("销售数据")?;
    // A title row and a blank row before the header (messy on purpose).
    xlsx::row(ws, 0, &[t("琥珀湾置业顾问月度销售数据（单位：万元）")])?;
    xlsx::table(
        ws,
        2,
        &[
            "工号",
            "姓名",
            "月份",
            "销售额",
            "销售任务",
            "回款",
            "工作量完成率",
        ],
        &fact_rows(),
    )?;
    wb.save(dir.join("facts.xlsx"))
}
