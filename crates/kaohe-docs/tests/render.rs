//! Renders every kind of document to PDF and DOCX and reads the text back: the PDF through
//! pdf-extract, the DOCX from word/document.xml. Rare name characters (喆, 堃, 赟, 珺) are
//! checked to come out as text, not as missing glyphs.

use std::io::Read;

use chrono::NaiveDate;
use kaohe_docs::{
    check_template, default_template, render, DocData, DocError, DocErrorKind, DocKind, DocPerson,
    DocRow, Format,
};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn person(name: &str, rules: &[&str]) -> DocPerson {
    DocPerson {
        id: "E0007".into(),
        name: name.into(),
        post: Some("置业顾问".into()),
        score: Some("58.50".into()),
        rank: Some(9),
        group_size: Some(9),
        reason: format!(
            "未完成当月销售任务，在未完成者中销售额排名后两位（{}）",
            rules[0]
        ),
        measures: vec![
            "书面警告".into(),
            "销售技能培训".into(),
            "观察一个月".into(),
        ],
        rules: rules.iter().map(|s| s.to_string()).collect(),
        appeal_until: Some(date(2025, 4, 5)),
    }
}

fn data(person: Option<DocPerson>) -> DocData {
    DocData {
        company: "琥珀湾置业有限公司".into(),
        unit: "琥珀湾项目部".into(),
        period_label: "2025-03".into(),
        policy_name: "琥珀湾客户经理淘汰制度".into(),
        policy_version: "2025.1".into(),
        date: date(2025, 4, 2),
        person,
        rows: vec![
            DocRow {
                id: "E0001".into(),
                name: "王堃".into(),
                unit: "琥珀湾项目部".into(),
                score: "92.00".into(),
                rank: Some(1),
                status: "正常".into(),
            },
            DocRow {
                id: "E0002".into(),
                name: "张赟".into(),
                unit: "琥珀湾项目部".into(),
                score: "88.25".into(),
                rank: Some(2),
                status: "豁免".into(),
            },
            DocRow {
                id: "E0003".into(),
                name: "刘珺".into(),
                unit: "琥珀湾项目部".into(),
                score: "60.10".into(),
                rank: Some(3),
                status: "末位".into(),
            },
            DocRow {
                id: "E0007".into(),
                name: "李喆".into(),
                unit: "琥珀湾项目部".into(),
                score: "58.50".into(),
                rank: Some(4),
                status: "末位".into(),
            },
        ],
        notes: vec!["附注：本期考核数据已于2025年4月1日公示。".into()],
        report_to: None,
        approvers: vec!["分公司负责人".into(), "区总".into(), "总部人事部".into()],
    }
}

/// The letters of the tests: P8.9 to 李喆, P7.5 to 王堃, P6.2 to 张赟.
fn letter_data(kind: DocKind) -> DocData {
    match kind {
        DocKind::WarningLetter => data(Some(person("李喆", &["P8.3", "P8.5", "P8.9"]))),
        DocKind::EliminationNotice => data(Some(person("王堃", &["P7.4", "P7.5", "P7.8"]))),
        DocKind::WrittenNotice => data(Some(person("张赟", &["P6.2"]))),
        DocKind::MonthlySummary => data(None),
    }
}

/// The error of a render that must fail (without printing the bytes of one that did not).
fn fails(r: Result<Vec<u8>, DocError>) -> DocError {
    match r {
        Ok(bytes) => panic!("rendered {} bytes, expected an error", bytes.len()),
        Err(e) => e,
    }
}

/// The PDF's text with all whitespace removed (line breaks may fall anywhere).
fn pdf_text(pdf: &[u8]) -> String {
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let text = pdf_extract::extract_text_from_mem(pdf).expect("PDF text");
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// word/document.xml of a DOCX.
fn docx_xml(docx: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("DOCX is a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("word/document.xml")
        .read_to_string(&mut xml)
        .expect("UTF-8");
    xml
}

/// What each kind must show: name(s), the period, the rule ids, the appeal deadline.
fn expected(kind: DocKind) -> Vec<&'static str> {
    match kind {
        DocKind::WarningLetter => vec![
            "警告函",
            "李喆",
            "2025年3月",
            "P8.3、P8.5、P8.9",
            "2025年4月5日",
            "2025年4月2日",
            "书面警告",
            "销售技能培训",
            "琥珀湾客户经理淘汰制度",
            // The letter states the standing, not a cause the data may not show (the reason
            // line says why), and the appeal covers the result and the measures.
            "排名靠后",
            "考核结果或改进措施有异议",
        ],
        DocKind::EliminationNotice => vec![
            "末位淘汰通知书",
            "王堃",
            "2025年3月",
            "P7.4、P7.5、P7.8",
            "2025年4月5日",
            "待复核",
            "不是解除劳动合同的通知",
        ],
        DocKind::WrittenNotice => vec![
            "书面通知",
            "张赟",
            "2025年3月",
            "P6.2",
            "2025年4月5日",
            "权利和义务",
        ],
        DocKind::MonthlySummary => vec![
            "2025年3月考核汇总",
            "分公司负责人、区总、总部人事部依次审批",
            "王堃",
            "张赟",
            "刘珺",
            "李喆",
            "末位",
            "豁免",
            "58.50",
            "共4人",
        ],
    }
}

#[test]
fn every_kind_renders_to_pdf_with_its_text() {
    for kind in DocKind::all() {
        let pdf = render(kind, Format::Pdf, &letter_data(kind), None).unwrap();
        let text = pdf_text(&pdf);
        for want in expected(kind) {
            assert!(
                text.contains(want),
                "{kind:?} PDF lacks {want:?}; text: {text}"
            );
        }
        // Every marker was read as a marker (a line ending in {% endif %} keeps its break).
        assert!(!text.contains('#'), "{kind:?}: a marker leaked: {text}");
        // The font is embedded (subset), so the PDF needs nothing installed.
        assert!(
            pdf.windows(b"FontFile2".len()).any(|w| w == b"FontFile2")
                || pdf.windows(b"FontFile3".len()).any(|w| w == b"FontFile3"),
            "{kind:?}: no embedded font"
        );
        assert!(pdf.len() < 400_000, "{kind:?}: {} bytes", pdf.len());
    }
}

#[test]
fn every_kind_renders_to_docx_with_its_text() {
    for kind in DocKind::all() {
        let docx = render(kind, Format::Docx, &letter_data(kind), None).unwrap();
        assert!(docx.starts_with(b"PK"), "not a zip");
        let xml = docx_xml(&docx);
        for want in expected(kind) {
            assert!(xml.contains(want), "{kind:?} DOCX lacks {want:?}");
        }
        // Word shows Chinese with a Chinese face.
        assert!(
            xml.contains(r#"w:eastAsia="宋体""#),
            "{kind:?}: no eastAsia font"
        );
    }
}

#[test]
fn letters_never_announce_a_termination() {
    // LABOUR-LAW.md gate 1; P8.6's "asked to resign" and P4.11's "notified of termination"
    // never reach a letter.
    for kind in [
        DocKind::WarningLetter,
        DocKind::EliminationNotice,
        DocKind::WrittenNotice,
    ] {
        let xml = docx_xml(&render(kind, Format::Docx, &letter_data(kind), None).unwrap());
        for bad in ["辞退", "开除", "劝退", "辞职", "解聘"] {
            assert!(!xml.contains(bad), "{kind:?} says {bad}");
        }
        // It names the appeal route and deadline.
        assert!(xml.contains("申诉"), "{kind:?}: no appeal route");
        assert!(
            xml.contains("2025年4月5日前"),
            "{kind:?}: no appeal deadline"
        );
    }
}

#[test]
fn termination_wording_in_the_data_is_refused() {
    let mut d = letter_data(DocKind::WarningLetter);
    if let Some(p) = d.person.as_mut() {
        p.measures.push("下月仍未达标将予以辞退".into());
    }
    let e = fails(render(DocKind::WarningLetter, Format::Pdf, &d, None));
    assert_eq!(e.kind(), DocErrorKind::Template);
    assert!(e.zh().contains("辞退"), "{e}");
    assert!(e.en().contains("termination"), "{e}");
}

#[test]
fn termination_wording_in_a_template_is_refused() {
    let t = default_template(DocKind::EliminationNotice)
        .replace("待复核。", "公司将与你解除劳动合同。");
    let e = check_template(DocKind::EliminationNotice, &t).unwrap_err();
    assert!(e.zh().contains("解除劳动合同"), "{e}");
    let e = fails(render(
        DocKind::EliminationNotice,
        Format::Docx,
        &letter_data(DocKind::EliminationNotice),
        Some(&t),
    ));
    assert_eq!(e.kind(), DocErrorKind::Template);
}

#[test]
fn a_letter_needs_an_addressee_and_an_appeal_deadline() {
    let mut d = letter_data(DocKind::WarningLetter);
    if let Some(p) = d.person.as_mut() {
        p.appeal_until = None;
    }
    let e = fails(render(DocKind::WarningLetter, Format::Pdf, &d, None));
    assert_eq!(e.kind(), DocErrorKind::Data);
    assert!(e.zh().contains("申诉截止日期"), "{e}");
    assert!(e.en().contains("appeal deadline"), "{e}");

    let e = fails(render(
        DocKind::WrittenNotice,
        Format::Docx,
        &data(None),
        None,
    ));
    assert_eq!(e.kind(), DocErrorKind::Data);
    assert_eq!(
        e.to_string(),
        "书面通知需要收件人（person） / a written notice needs an addressee (person)"
    );

    // P7.5: the elimination notice cites its rules.
    let mut d = letter_data(DocKind::EliminationNotice);
    if let Some(p) = d.person.as_mut() {
        p.rules.clear();
    }
    let e = fails(render(DocKind::EliminationNotice, Format::Pdf, &d, None));
    assert!(e.zh().contains("依据条款"), "{e}");
}

#[test]
fn a_bad_template_gives_a_chinese_and_english_error() {
    let e = fails(render(
        DocKind::MonthlySummary,
        Format::Pdf,
        &data(None),
        Some("# 汇总\n{% for r in rows %}{{ r.name }\n"),
    ));
    assert_eq!(e.kind(), DocErrorKind::Template);
    assert!(e.zh().contains("模板语法错误"), "{e}");
    assert!(e.zh().contains("第2行"), "{e}");
    assert!(e.en().contains("syntax error"), "{e}");
    assert!(e.en().contains("line 2"), "{e}");
    assert!(e.to_string().contains(" / "), "{e}");
    let e2 = check_template(
        DocKind::MonthlySummary,
        "# 汇总\n{% for r in rows %}{{ r.name }\n",
    )
    .unwrap_err();
    assert_eq!(e, e2);
}

#[test]
fn check_template_rejects_unknown_variables() {
    for kind in DocKind::all() {
        check_template(kind, default_template(kind)).unwrap();
    }
    let e = check_template(
        DocKind::MonthlySummary,
        "# {{ period }}\n{{ boss }}\n[[rows]]",
    )
    .unwrap_err();
    assert_eq!(e.kind(), DocErrorKind::Template);
    assert!(e.zh().contains("boss"), "{e}");
    assert!(e.en().contains("unknown variables: boss"), "{e}");

    // A misspelt field of person.
    let t = default_template(DocKind::WarningLetter).replace("person.reason", "person.reasn");
    let e = check_template(DocKind::WarningLetter, &t).unwrap_err();
    assert!(e.en().contains("person.reasn"), "{e}");

    // A misspelt field of a loop row is found by the trial render.
    let e = check_template(
        DocKind::MonthlySummary,
        "# 汇总\n{% for r in rows %}\n- {{ r.nmae }}\n{% endfor %}\n",
    )
    .unwrap_err();
    assert!(e.zh().contains("不存在的变量或字段"), "{e}");

    // A letter template without the appeal deadline.
    let e = check_template(
        DocKind::WarningLetter,
        "# 警告函\n{{ person.name }}同事：\n",
    )
    .unwrap_err();
    assert!(e.zh().contains("申诉"), "{e}");
}

#[test]
fn an_admins_template_is_used_for_both_formats() {
    let t = "# 改进提示函\n{{ person.name }}：请于{{ person.appeal_until }}前提出书面申诉（{{ person.rules }}）。\n[[rows]]\n> {{ date }}\n";
    check_template(DocKind::WarningLetter, t).unwrap();
    let d = letter_data(DocKind::WarningLetter);
    let pdf = pdf_text(&render(DocKind::WarningLetter, Format::Pdf, &d, Some(t)).unwrap());
    assert!(pdf.contains("改进提示函"), "{pdf}");
    assert!(
        pdf.contains("李喆：请于2025年4月5日前提出书面申诉（P8.3、P8.5、P8.9）。"),
        "{pdf}"
    );
    assert!(pdf.contains("刘珺"), "{pdf}");
    let xml = docx_xml(&render(DocKind::WarningLetter, Format::Docx, &d, Some(t)).unwrap());
    assert!(xml.contains("李喆：请于2025年4月5日前提出书面申诉（P8.3、P8.5、P8.9）。"));
    assert!(!xml.contains("警告函"));
}

#[test]
fn values_are_text_never_markup_or_code() {
    let mut d = letter_data(DocKind::WarningLetter);
    if let Some(p) = d.person.as_mut() {
        p.post = Some("#panic(\"x\") [*粗*] \\ $x$".into());
        p.reason = "原因\n# 伪造标题\n[[rows]]".into();
    }
    let pdf = pdf_text(&render(DocKind::WarningLetter, Format::Pdf, &d, None).unwrap());
    assert!(pdf.contains("#panic(\"x\")[*粗*]\\$x$"), "{pdf}");
    assert!(pdf.contains("原因#伪造标题[[rows]]"), "{pdf}");
    // The letter has no table: the [[rows]] inside a value did not make one.
    assert!(!pdf.contains("王堃"), "{pdf}");
}

#[test]
fn a_character_the_font_lacks_is_an_error_for_pdf_only() {
    let mut d = letter_data(DocKind::WarningLetter);
    if let Some(p) = d.person.as_mut() {
        p.name = "李\u{0F40}".into(); // Tibetan KA: not in Noto Sans SC
    }
    let e = fails(render(DocKind::WarningLetter, Format::Pdf, &d, None));
    assert_eq!(e.kind(), DocErrorKind::Data);
    assert!(e.zh().contains("U+0F40"), "{e}");
    render(DocKind::WarningLetter, Format::Docx, &d, None).unwrap();
}

#[test]
fn rendering_is_deterministic() {
    // No clock: the same data gives the same bytes.
    let d = letter_data(DocKind::EliminationNotice);
    for format in [Format::Pdf, Format::Docx] {
        let a = render(DocKind::EliminationNotice, format, &d, None).unwrap();
        let b = render(DocKind::EliminationNotice, format, &d, None).unwrap();
        assert_eq!(a, b, "{format:?}");
    }
}

#[test]
fn data_comes_as_json_too() {
    let json = r#"{
        "company": "琥珀湾置业有限公司", "unit": "琥珀湾项目部", "period_label": "2025-03",
        "policy_name": "琥珀湾客户经理淘汰制度", "policy_version": "2025.1", "date": "2025-04-02",
        "person": { "id": "E0007", "name": "李喆", "reason": "未完成销售任务（P8.3）",
                    "rules": ["P8.5"], "appeal_until": "2025-04-05" }
    }"#;
    let d: DocData = serde_json::from_str(json).unwrap();
    assert_eq!(d.rows, vec![]);
    let xml = docx_xml(&render(DocKind::WarningLetter, Format::Docx, &d, None).unwrap());
    assert!(xml.contains("李喆同事（工号：E0007）："));
    // No measures given: the letter still names the observation and training of P8.9.
    assert!(xml.contains("观察和培训一个月"));
    let back: DocData = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
    assert_eq!(back, d);
}

#[test]
fn kinds_and_formats_have_codes() {
    for kind in DocKind::all() {
        assert_eq!(DocKind::parse(kind.code()), Some(kind));
    }
    assert_eq!(DocKind::WarningLetter.code(), "warning_letter");
    assert_eq!(DocKind::EliminationNotice.zh(), "末位淘汰通知书");
    assert_eq!(DocKind::MonthlySummary.en(), "monthly summary");
    assert_eq!(DocKind::parse("termination_letter"), None);
    assert_eq!(Format::parse("PDF"), Some(Format::Pdf));
    assert_eq!(Format::Docx.extension(), "docx");
}

#[test]
fn a_long_summary_breaks_across_pages_and_an_empty_one_says_so() {
    // P2.6: one row per person, however many.
    let mut d = data(None);
    d.rows = (1..=240)
        .map(|i| DocRow {
            id: format!("E{i:04}"),
            name: format!("王堃{i}"),
            unit: "琥珀湾项目部".into(),
            score: format!("{}.50", 300 - i),
            rank: Some(i),
            status: if i > 238 { "末位" } else { "正常" }.into(),
        })
        .collect();
    let pdf = render(DocKind::MonthlySummary, Format::Pdf, &d, None).unwrap();
    let text = pdf_text(&pdf);
    assert!(text.contains("E0001王堃1"), "first row");
    assert!(
        text.contains("240E0240王堃240琥珀湾项目部60.50末位"),
        "last row"
    );
    assert!(text.contains("共240人"));
    // Several pages, numbered "n / N" in the footer.
    assert!(text.contains("1/"), "page numbers");
    assert!(!text.contains("1/1"), "one page only");
    let xml = docx_xml(&render(DocKind::MonthlySummary, Format::Docx, &d, None).unwrap());
    assert_eq!(
        xml.matches("<w:tr>").count() + xml.matches("<w:tr ").count(),
        241
    );

    d.rows.clear();
    let text = pdf_text(&render(DocKind::MonthlySummary, Format::Pdf, &d, None).unwrap());
    assert!(text.contains("（无数据）"), "{text}");
    assert!(text.contains("共0人"), "{text}");
    let xml = docx_xml(&render(DocKind::MonthlySummary, Format::Docx, &d, None).unwrap());
    assert!(xml.contains("（无数据）"));
}

/// The summary names whom it goes to and who approves as the policy says, never a fixed
/// 总经办: P2.6 reports to 总经办 and has no chain; P4 has a chain (P4.11) and no 报送.
#[test]
fn the_summary_follows_the_policy() {
    let mut d = data(None);
    let text = |d: &DocData| {
        let pdf = render(DocKind::MonthlySummary, Format::Pdf, d, None).expect("pdf");
        pdf_text(&pdf)
    };
    let p4 = text(&d);
    assert!(!p4.contains("报送") && !p4.contains("总经办"), "{p4}");
    d.approvers.clear();
    d.report_to = Some("总经办".into());
    let p2 = text(&d);
    assert!(
        p2.contains("报送：总经办") && p2.contains("须经总经办确认"),
        "{p2}"
    );
    d.report_to = None;
    assert!(text(&d).contains("须经公司确认"));
}
