//! The catalogue of labour-law requirements (劳动法要件目录), one entry per stable code, with
//! its article and text in Chinese and English (LABOUR-LAW.md). A summary for engineers and HR,
//! not legal advice.

use crate::result::Requirement;

/// `(code, article, zh, en)`.
type Entry = (&'static str, &'static str, &'static str, &'static str);

const CATALOGUE: &[Entry] = &[
    (
        "labour_law_off",
        "制度设置 jurisdiction = none",
        "本制度已关闭中国劳动法检查（jurisdiction = none）：以下处理未核对任何劳动法要件，仅适用于中国大陆以外的用人单位。",
        "Labour-law checks switched off by the policy (jurisdiction = none): no labour-law requirement was checked for this outcome; only for employers outside mainland China.",
    ),
    (
        "not_termination_ground",
        "最高人民法院指导案例18号；第八次全国法院民事商事审判工作会议纪要第29条",
        "末位排名、进入末位线或淘汰名单本身不是“不能胜任工作”，不得据此单方解除劳动合同；只能导致警告、培训、观察、合理调岗或按制度调整薪级。",
        "A bottom rank, a line entry or the elimination list is not by itself “unable to do the job” and is no ground for unilateral termination; it can lead only to a warning, training, observation, a reasonable transfer or a pay/level adjustment under the rules.",
    ),
    (
        "policy_adoption_record",
        "劳动合同法第4条",
        "本制度缺少民主程序通过日期或公示日期：须补全通过记录（职工代表大会或全体职工讨论、与工会或职工代表协商）和向员工公示的记录，否则不得作为处理依据。",
        "The policy lacks its adoption or publication date: record the democratic adoption (staff congress or all staff, consultation with the union or representatives) and the publication to employees, or the policy cannot ground this measure.",
    ),
    (
        "rule_basis",
        "劳动合同法第4条；劳动争议司法解释(一)第50条",
        "调薪、调级或调岗须以依法制定并公示的规章制度为依据，且有真实的经营需要，并与考核结果相对应。",
        "A pay, level or post adjustment needs a basis in lawfully adopted and published rules and a genuine business need, matching the assessment result.",
    ),
    (
        "burden_of_proof",
        "劳动争议司法解释(一)第44条",
        "用人单位对解除劳动合同、减少劳动报酬等决定负举证责任：保留考核原始数据、评分人及时间、公示与申诉记录。",
        "The employer bears the burden of proof for dismissals and pay cuts: keep the raw assessment data, raters and timestamps, the publication and appeals.",
    ),
    (
        "minimum_wage",
        "《最低工资规定》；《工资支付暂行规定》",
        "调整后的工资不得低于当地最低工资标准；“停薪待岗”风险高，不得采用。",
        "Pay after the adjustment must not fall below the local minimum wage; a stand-down with no pay (停薪待岗) is high-risk and not to be used.",
    ),
    (
        "reasonable_transfer",
        "劳动合同法第35条",
        "调岗须合理：与原岗位相关、待遇不明显降低、不具侮辱性，并附针对性培训；变更劳动合同内容应书面协商一致或有制度与合同依据。",
        "A transfer must be reasonable: related to the former post, without a marked loss of pay, not humiliating, with targeted training; changing the contract needs written agreement or a basis in the rules and the contract.",
    ),
    (
        "absolute_standard",
        "劳动合同法第40条第2项",
        "须以绝对标准证明不能胜任工作（约定的工作任务或同岗位正常工作量），而非按比例排名得出的末位标签；考核期中调高的目标须单独标出。",
        "Incompetence must be shown against an absolute standard (the agreed task or the normal workload of the same post), not by a quota-ranked bottom label; a target raised mid-period is flagged.",
    ),
    (
        "remediation_record",
        "劳动合同法第40条第2项",
        "须有因该不胜任认定而进行的培训或调岗记录（含本人签字）。",
        "A training or transfer record made because of that finding is required (signed by the person).",
    ),
    (
        "reassessment",
        "劳动合同法第40条第2项",
        "培训或调岗后须经过新的考核期间，并再次证明仍不能胜任工作。",
        "After the training or transfer, a new assessment period must again show the person unable to do the job.",
    ),
    (
        "protected_status_check",
        "劳动合同法第42条",
        "须在决定当日核查受保护情形：孕期、产期、哺乳期；患病或非因工负伤的医疗期；职业病或因工负伤丧失或部分丧失劳动能力；从事接触职业病危害作业未做离岗前职业健康检查，或疑似职业病在诊断或医学观察期间；连续工作满15年且距法定退休年龄不足5年；法律规定的其他情形。处于其一者不得依第40条解除。",
        "Check protected status on the decision date: pregnancy, maternity leave or nursing; a medical period for illness or non-work injury; occupational disease or work injury with loss of capacity; occupational-hazard work without the exit health check or under diagnosis or observation; 15+ consecutive years at the employer and under 5 years to statutory retirement; other statutory cases. Any of them bars an Art. 40 termination.",
    ),
    (
        "probation_art21",
        "劳动合同法第21条",
        "如本人在试用期内：只能依第39条或第40条第1、2项解除，并须向本人书面说明理由。",
        "If the person is on probation: termination only under Art. 39 or Art. 40(1)/(2), with the reason given in writing.",
    ),
    (
        "union_notice",
        "劳动合同法第43条",
        "单方解除劳动合同前，须事先将理由通知工会，并研究工会意见。",
        "Before any unilateral termination, the union is notified of the reason beforehand and its opinion considered.",
    ),
    (
        "notice_or_pay_in_lieu",
        "劳动合同法第40条",
        "须提前30日以书面形式通知本人，或额外支付一个月工资（代通知金）。",
        "30 days' written notice, or one month's extra wage in lieu of notice.",
    ),
    (
        "compensation_n",
        "劳动合同法第46条、第47条",
        "须支付经济补偿N：每满一年支付一个月工资，六个月以上不满一年按一年计，不满六个月支付半个月工资；基数为解除前12个月平均工资，高于当地上年度职工月平均工资3倍的，按3倍计且年限最高不超过12年。",
        "Economic compensation N is owed: one month's wage per full year of service, 6–12 months counting as a year, under 6 months as half a month; the base is the average wage of the last 12 months, capped at 3× the local average wage, and then the years at 12.",
    ),
    (
        "unlawful_exposure_2n",
        "劳动合同法第48条、第87条",
        "任一要件不满足即属违法解除：本人可要求继续履行劳动合同，或要求支付经济补偿标准二倍的赔偿金（2N）。",
        "If any requirement is not met the termination is unlawful: the person may claim reinstatement or damages of twice the compensation (2N).",
    ),
    (
        "certificate_and_transfer",
        "劳动合同法第50条",
        "解除时出具解除劳动合同证明，15日内办理档案和社会保险关系转移；已解除的劳动合同文本至少保存2年。",
        "Issue the termination certificate, transfer the personnel file and social insurance within 15 days, and keep the terminated contract for at least 2 years.",
    ),
    (
        "serious_conduct_defined",
        "劳动合同法第39条第2项",
        "所依据的规章制度须明确将该行为界定为“严重违反规章制度”。",
        "The rules relied on must define this conduct as a serious breach of the employer's rules.",
    ),
    (
        "rules_adopted_published",
        "劳动合同法第4条；劳动争议司法解释(一)第50条",
        "所依据的规章制度须经民主程序制定并已向本人公示（保留签收记录）。",
        "The rules relied on must have passed the democratic procedure and been published to the person (keep the signed acknowledgement).",
    ),
    (
        "evidence_attached",
        "劳动合同法第39条；劳动争议司法解释(一)第44条",
        "须附经核实的证据（核查记录、书证、本人陈述等）。",
        "Verified evidence is attached (investigation record, documents, the person's statement).",
    ),
    (
        "probation_written_reason",
        "劳动合同法第21条、第39条第1项",
        "试用期内解除须书面说明理由，且须在约定的试用期内作出。",
        "A termination in probation needs a written reason and must be made within the agreed probation period.",
    ),
    (
        "hiring_conditions_stated",
        "劳动合同法第39条第1项",
        "录用条件须事先明确告知本人，并有证据证明其不符合录用条件。",
        "The hiring conditions must have been stated to the person beforehand, with evidence that they are not met.",
    ),
    (
        "mutual_agreement_refusable",
        "劳动合同法第36条",
        "协商解除须双方自愿一致：本人可以拒绝，拒绝不得作为任何处理的理由。",
        "A mutual-agreement termination needs both sides' free consent: the person may refuse, and refusing is no ground for any measure.",
    ),
    (
        "compensation_n_agreement",
        "劳动合同法第46条第2项、第47条",
        "由用人单位提出并协商一致解除的，须支付经济补偿N。",
        "When the employer proposes the mutual termination, economic compensation N is owed.",
    ),
    (
        "person_decides",
        "劳动争议司法解释(一)第44条",
        "本结果仅为提议，不产生任何法律效果：须由有权人员确认，并记录决定人、理由和日期。",
        "This is a proposal with no legal effect by itself: an authorised person confirms it, and who decided, why and when are recorded.",
    ),
    (
        "relationship_agency",
        "劳动合同法第2条",
        "本制度适用于代理关系（如保险代理人）：劳动合同法的处理路径可能不适用，应按代理合同处理，并先确认是否构成事实劳动关系。",
        "The policy covers agency relationships (e.g. insurance agents): the labour-contract path may not apply; act under the agency contract after checking that no de-facto employment exists.",
    ),
    (
        "relationship_dispatch",
        "劳动合同法第58条至第67条（第65条）",
        "本制度适用于劳务派遣人员：用工单位不能直接解除劳动合同，只能依第65条将其退回劳务派遣单位，由派遣单位依法处理。",
        "The policy covers dispatched workers: the host employer cannot terminate the labour contract itself; it may only return the worker to the dispatch agency under Art. 65.",
    ),
];

/// The requirement for a code; `None` for an unknown code.
pub(crate) fn get(code: &str) -> Option<Requirement> {
    CATALOGUE
        .iter()
        .find(|(c, ..)| *c == code)
        .map(|(code, article, zh, en)| Requirement {
            code: (*code).to_string(),
            article: (*article).to_string(),
            zh: (*zh).to_string(),
            en: (*en).to_string(),
        })
}

/// Every code in the catalogue (for tests and documentation).
#[cfg(test)]
pub(crate) fn codes() -> impl Iterator<Item = &'static str> {
    CATALOGUE.iter().map(|(c, ..)| *c)
}
