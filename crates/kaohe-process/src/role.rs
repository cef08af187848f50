//! Roles (角色) of issue 3 and a policy's approval chain (审批链, P4.11).
//!
//! Policy files write the approval chain as the source text says it (`["分公司负责人", "区总",
//! "总部人事部"]`); [`approval_chain`] maps each label to a [`Role`]. Labels it does not know
//! (P7's `办公室`) are an error naming the label, unless the policy's own
//! `[process] chain_roles` says which role acts for it ([`policy_chain`]) — never a guess.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A role (角色).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员 system administrator.
    Admin,
    /// 总部人事部 headquarters HR.
    HqHr,
    /// 总经办 general manager's office.
    GmOffice,
    /// 区总 regional head.
    RegionalHead,
    /// 分公司负责人 branch head.
    BranchHead,
    /// 部门负责人 department head.
    DepartmentHead,
    /// 销售经理 sales manager (enters daily-work scores, P2.2).
    SalesManager,
    /// 评分人 rater.
    Rater,
    /// 员工 employee.
    Employee,
}

impl Role {
    /// Every role, in a fixed order (for matrices).
    pub const ALL: [Role; 9] = [
        Role::Admin,
        Role::HqHr,
        Role::GmOffice,
        Role::RegionalHead,
        Role::BranchHead,
        Role::DepartmentHead,
        Role::SalesManager,
        Role::Rater,
        Role::Employee,
    ];

    /// Stable code, e.g. `hq_hr`.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::HqHr => "hq_hr",
            Role::GmOffice => "gm_office",
            Role::RegionalHead => "regional_head",
            Role::BranchHead => "branch_head",
            Role::DepartmentHead => "department_head",
            Role::SalesManager => "sales_manager",
            Role::Rater => "rater",
            Role::Employee => "employee",
        }
    }

    /// Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Role::Admin => "系统管理员",
            Role::HqHr => "总部人事部",
            Role::GmOffice => "总经办",
            Role::RegionalHead => "区总",
            Role::BranchHead => "分公司负责人",
            Role::DepartmentHead => "部门负责人",
            Role::SalesManager => "销售经理",
            Role::Rater => "评分人",
            Role::Employee => "员工",
        }
    }

    /// English name.
    pub fn en(self) -> &'static str {
        match self {
            Role::Admin => "administrator",
            Role::HqHr => "HQ HR",
            Role::GmOffice => "GM office",
            Role::RegionalHead => "regional head",
            Role::BranchHead => "branch head",
            Role::DepartmentHead => "department head",
            Role::SalesManager => "sales manager",
            Role::Rater => "rater",
            Role::Employee => "employee",
        }
    }

    /// The role for a code or a Chinese label used in policy files.
    pub fn from_label(label: &str) -> Option<Role> {
        let l = label.trim();
        Role::ALL
            .into_iter()
            .find(|r| r.code() == l || r.zh() == l)
            .or(match l {
                "总部人事" | "总公司人事部" | "人事部" => Some(Role::HqHr),
                "总经理" | "总经理办公室" => Some(Role::GmOffice),
                "区域负责人" | "区域总监" | "大区总" => Some(Role::RegionalHead),
                "分公司经理" | "分公司总经理" => Some(Role::BranchHead),
                "部门经理" | "部门主管" => Some(Role::DepartmentHead),
                _ => None,
            })
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}（{}）", self.zh(), self.en())
    }
}

/// An approval-chain label no role is known for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownRoleLabel(pub String);

impl UnknownRoleLabel {
    /// The message in Chinese.
    pub fn zh(&self) -> String {
        format!(
            "审批链中的“{0}”无法对应到角色，请在制度文件 [process] chain_roles 中指定由哪个角色办理（如 \"{0}\" = \"hq_hr\"）",
            self.0
        )
    }

    /// The message in English.
    pub fn en(&self) -> String {
        format!(
            "approval-chain label \"{0}\" matches no role; say which role acts for it in the policy's [process] chain_roles (e.g. \"{0}\" = \"hq_hr\")",
            self.0
        )
    }
}

impl fmt::Display for UnknownRoleLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.zh(), self.en())
    }
}

impl std::error::Error for UnknownRoleLabel {}

/// The approval chain of a policy as roles, in order (P4.11: branch head → regional head →
/// HQ HR). `extra` maps labels the built-in list does not know; it wins over the built-in list.
pub fn approval_chain(
    labels: &[String],
    extra: &BTreeMap<String, Role>,
) -> Result<Vec<Role>, UnknownRoleLabel> {
    labels
        .iter()
        .map(|l| {
            extra
                .get(l.trim())
                .copied()
                .or_else(|| Role::from_label(l))
                .ok_or_else(|| UnknownRoleLabel(l.clone()))
        })
        .collect()
}

/// A policy's approval chain as roles: its labels, with the policy's own `chain_roles` for
/// those the built-in list does not know (P7.4's 办公室). A `chain_roles` value that is no role
/// is an error naming it.
pub fn policy_chain(process: &kaohe_policy::model::Process) -> Result<Vec<Role>, UnknownRoleLabel> {
    let extra = process
        .chain_roles
        .iter()
        .map(|(label, role)| {
            Role::from_label(role)
                .map(|r| (label.trim().to_string(), r))
                .ok_or_else(|| UnknownRoleLabel(role.clone()))
        })
        .collect::<Result<BTreeMap<_, _>, _>>()?;
    approval_chain(&process.approval_chain, &extra)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shipped policy's chain maps to roles: P4.11 by the built-in names, P7.4's 办公室
    /// by the policy's chain_roles (HQ HR), 总经理 to the GM office.
    #[test]
    fn shipped_chains_map_to_roles() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies");
        let mut seen = 0;
        for e in std::fs::read_dir(&dir).expect("policies") {
            let path = e.expect("entry").path();
            if path.extension().and_then(|x| x.to_str()) != Some("toml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("read");
            let p = kaohe_policy::load_str(&text, &path.display().to_string()).expect("load");
            let chain =
                policy_chain(&p.process).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(chain.len(), p.process.approval_chain.len());
            if p.policy.id == "p7-department-raters" {
                assert_eq!(chain, vec![Role::HqHr, Role::GmOffice]);
            }
            seen += 1;
        }
        assert!(seen >= 8, "{seen} policies");
    }

    #[test]
    fn chain_roles_must_name_a_role() {
        let mut process = kaohe_policy::model::Process {
            approval_chain: vec!["办公室".into()],
            ..Default::default()
        };
        assert_eq!(
            policy_chain(&process),
            Err(UnknownRoleLabel("办公室".into()))
        );
        process
            .chain_roles
            .insert("办公室".into(), "总部人事".into());
        assert_eq!(policy_chain(&process), Ok(vec![Role::HqHr]));
        process.chain_roles.insert("办公室".into(), "门卫".into());
        assert_eq!(policy_chain(&process), Err(UnknownRoleLabel("门卫".into())));
    }

    #[test]
    fn p4_11_chain_from_the_shipped_policy_labels() {
        let labels: Vec<String> = ["分公司负责人", "区总", "总部人事部"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            approval_chain(&labels, &BTreeMap::new()),
            Ok(vec![Role::BranchHead, Role::RegionalHead, Role::HqHr])
        );
    }

    #[test]
    fn unknown_label_is_an_error_unless_mapped() {
        let labels = vec!["办公室".to_string(), "总经理".to_string()];
        let err = approval_chain(&labels, &BTreeMap::new()).unwrap_err();
        assert_eq!(err, UnknownRoleLabel("办公室".into()));
        let extra = BTreeMap::from([("办公室".to_string(), Role::DepartmentHead)]);
        assert_eq!(
            approval_chain(&labels, &extra),
            Ok(vec![Role::DepartmentHead, Role::GmOffice])
        );
    }

    #[test]
    fn codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_label(r.code()), Some(r));
            assert_eq!(Role::from_label(r.zh()), Some(r));
        }
    }
}
