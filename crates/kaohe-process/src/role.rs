//! Roles (角色) of issue 3 and a policy's approval chain (审批链, P4.11).
//!
//! Policy files write the approval chain as the source text says it (`["分公司负责人", "区总",
//! "总部人事部"]`); [`approval_chain`] maps each label to a [`Role`]. Labels it does not know
//! (P7's `办公室`) are an error naming the label, unless the caller's `extra` map (set by an
//! admin) says which role it is — never a guess.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use thiserror::Error;

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
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[error("审批链中的“{0}”无法对应到角色，请管理员指定 / approval-chain label \"{0}\" matches no role; an admin must map it")]
pub struct UnknownRoleLabel(pub String);

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

#[cfg(test)]
mod tests {
    use super::*;

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
