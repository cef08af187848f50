//! The engine (计算引擎): a policy compiled once — names resolved to slots, conditions and
//! formulas compiled, indicators put in dependency order — then evaluated per period.

use crate::blocks::{Block, Src};
use crate::cond::CCond;
use crate::data::{History, PeriodInput};
use crate::lookup::{Names, RosterField, Slot};
use crate::result::PeriodResult;
use kaohe_policy::model::Order;
use kaohe_policy::Policy;

/// A policy that cannot be compiled into an engine (制度无法编译).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// A construct is invalid; `place` names it (e.g. `indicator sales`).
    #[error("{place}: {message}")]
    Invalid {
        /// Where in the policy.
        place: String,
        /// Chinese / English message.
        message: String,
    },
    /// Indicators depend on each other in a cycle.
    #[error("指标循环引用 / indicators form a cycle: {0}")]
    Cycle(String),
}

fn invalid(place: impl Into<String>) -> impl FnOnce(String) -> EngineError {
    let place = place.into();
    move |message| EngineError::Invalid { place, message }
}

/// The compiled line (末位线).
#[derive(Debug)]
pub(crate) struct CLine {
    pub(crate) exemptions: Vec<CCond>,
    pub(crate) candidates: Option<CCond>,
    pub(crate) skip: Option<CCond>,
    pub(crate) fallback_share: Option<CCond>,
    pub(crate) fallback_measure: Option<Src>,
}

/// A policy compiled for evaluation (已编译的制度).
#[derive(Debug)]
pub struct Engine<'p> {
    pub(crate) policy: &'p Policy,
    pub(crate) blocks: Vec<Block>,
    /// Indicator indexes in dependency order.
    pub(crate) order: Vec<usize>,
    pub(crate) include: Option<CCond>,
    pub(crate) vetoes: Vec<CCond>,
    pub(crate) gates: Vec<CCond>,
    pub(crate) rank_by: Option<Src>,
    pub(crate) tie_keys: Vec<(Src, Order)>,
    pub(crate) group_by: Vec<RosterField>,
    pub(crate) line: Option<CLine>,
    pub(crate) level_changes: Vec<CCond>,
    /// Indicators used for feedback suggestions (P1.5).
    pub(crate) suggest_from: Vec<usize>,
    /// Display places.
    pub(crate) dp: u32,
    /// Whether indicator explanations are written (default true).
    pub(crate) explain: bool,
}

impl<'p> Engine<'p> {
    /// Compile a policy. Fails on undeclared names, malformed building blocks or conditions,
    /// formulas that do not compile, and cycles between indicators.
    pub fn new(policy: &'p Policy) -> Result<Self, EngineError> {
        let names = Names::new(policy);
        let cond = |c: &kaohe_policy::model::Cond, place: String| {
            CCond::compile(c, &names).map_err(invalid(place))
        };
        let blocks = policy
            .indicators
            .iter()
            .map(|i| Block::compile(i, &names).map_err(invalid(format!("indicator {}", i.id))))
            .collect::<Result<Vec<_>, _>>()?;
        let order = topo_order(policy, &blocks)?;
        let include = policy
            .population
            .include
            .as_ref()
            .map(|c| cond(c, "population.include".into()))
            .transpose()?;
        let vetoes = policy
            .vetoes
            .iter()
            .map(|v| cond(&v.when, format!("veto {}", v.id)))
            .collect::<Result<_, _>>()?;
        let gates = policy
            .gates
            .iter()
            .map(|g| cond(&g.fails_when, format!("gate {}", g.id)))
            .collect::<Result<_, _>>()?;
        let src = |n: &str, place: &str| -> Result<Src, EngineError> {
            names
                .get(n)
                .map(|slot| Src {
                    name: n.to_string(),
                    slot,
                })
                .ok_or_else(|| EngineError::Invalid {
                    place: place.to_string(),
                    message: format!("未声明的名称“{n}” / `{n}` is not declared"),
                })
        };
        let (rank_by, tie_keys, group_by) = match &policy.ranking {
            None => (None, Vec::new(), Vec::new()),
            Some(r) => {
                let by = src(&r.by, "ranking.by")?;
                let ties = r
                    .tie_breakers
                    .iter()
                    .map(|t| Ok((src(&t.by, "ranking.tie_breakers")?, t.order)))
                    .collect::<Result<Vec<_>, EngineError>>()?;
                let groups = r
                    .group_by
                    .iter()
                    .map(|g| match names.get(g) {
                        Some(Slot::Roster(f)) => Ok(f),
                        _ => Err(EngineError::Invalid {
                            place: "ranking.group_by".into(),
                            message: format!("“{g}”不是花名册字段 / `{g}` is not a roster field"),
                        }),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                (Some(by), ties, groups)
            }
        };
        let line = match &policy.line {
            None => None,
            Some(l) => {
                if l.bottom.is_some() == l.bottom_percent.is_some() {
                    return Err(EngineError::Invalid {
                        place: "line".into(),
                        message: "须给出 bottom 或 bottom_percent 之一 / give exactly one of bottom, bottom_percent".into(),
                    });
                }
                if l.bottom_percent.is_some() && l.rounding.is_none() {
                    return Err(EngineError::Invalid {
                        place: "line.rounding".into(),
                        message: "按比例划线须写明取整方式 / a percent quota needs a rounding (up, down, nearest)".into(),
                    });
                }
                Some(CLine {
                    exemptions: l
                        .exemptions
                        .iter()
                        .map(|e| cond(&e.when, format!("line.exempt {}", e.id)))
                        .collect::<Result<_, _>>()?,
                    candidates: l
                        .candidates
                        .as_ref()
                        .map(|c| cond(c, "line.candidates".into()))
                        .transpose()?,
                    skip: l
                        .skip_when_everyone
                        .as_ref()
                        .map(|c| cond(c, "line.skip_when_everyone".into()))
                        .transpose()?,
                    fallback_share: l
                        .fallback
                        .as_ref()
                        .map(|f| cond(&f.share_of, "line.fallback.share_of".into()))
                        .transpose()?,
                    fallback_measure: l
                        .fallback
                        .as_ref()
                        .map(|f| src(&f.measure, "line.fallback.measure"))
                        .transpose()?,
                })
            }
        };
        let level_changes = policy
            .levels
            .iter()
            .flat_map(|l| l.changes.iter())
            .map(|c| cond(&c.when, format!("levels.change {}→{}", c.from, c.to)))
            .collect::<Result<_, _>>()?;
        let suggest_from = crate::suggest::leaves(policy, &blocks, rank_by.as_ref());
        Ok(Engine {
            policy,
            blocks,
            order,
            include,
            vetoes,
            gates,
            rank_by,
            tie_keys,
            group_by,
            line,
            level_changes,
            suggest_from,
            dp: policy.policy.decimals,
            explain: true,
        })
    }

    /// Switch the per-indicator explanations (inputs and arithmetic text) on or off. They are on
    /// by default; a bulk run (the 1,000,000-people benchmark, a whole-company export) may turn
    /// them off to save time and memory and re-evaluate one person with them on for
    /// `kaohe explain`. Data errors keep their full messages either way.
    pub fn with_explanations(mut self, on: bool) -> Self {
        self.explain = on;
        self
    }

    /// Evaluate one period. Pipeline: population → score → rank → line → levels → history →
    /// ladder → aggregate → outcomes.
    pub fn evaluate(&self, input: &PeriodInput, history: &History) -> PeriodResult {
        let mut result = crate::pipeline::run(self, input);
        crate::history::apply(self.policy, &mut result, history);
        crate::ladder::apply(self.policy, &mut result, history);
        crate::aggregate::apply(self.policy, &mut result, history);
        crate::outcomes::attach(self.policy, &mut result);
        result
    }

    /// Evaluate periods in period order (stable for equal periods), recording each period into
    /// the history before the next one ([`crate::record`]). Results come back in that order.
    pub fn evaluate_series(
        &self,
        inputs: &[PeriodInput],
        mut history: History,
    ) -> (Vec<PeriodResult>, History) {
        let mut order: Vec<&PeriodInput> = inputs.iter().collect();
        order.sort_by_key(|i| i.period.as_ref().map(|p| p.index));
        let mut out = Vec::with_capacity(order.len());
        for input in order {
            let r = self.evaluate(input, &history);
            crate::history::record(&r, &mut history);
            out.push(r);
        }
        (out, history)
    }
}

/// Indicators in dependency order; a cycle is an error naming its members.
fn topo_order(policy: &Policy, blocks: &[Block]) -> Result<Vec<usize>, EngineError> {
    let n = blocks.len();
    let deps: Vec<Vec<usize>> = blocks
        .iter()
        .map(|b| {
            b.deps()
                .into_iter()
                .filter_map(|s| match s {
                    Slot::Indicator(i) => Some(i),
                    _ => None,
                })
                .collect()
        })
        .collect();
    // 0 = unvisited, 1 = on the stack, 2 = done
    let mut state = vec![0u8; n];
    let mut order = Vec::with_capacity(n);
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some((node, next)) = stack.last().copied() {
            if let Some(&d) = deps[node].get(next) {
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
                match state[d] {
                    0 => {
                        state[d] = 1;
                        stack.push((d, 0));
                    }
                    1 => {
                        let start = stack.iter().position(|(x, _)| *x == d).unwrap_or(0);
                        let ids: Vec<&str> = stack[start..]
                            .iter()
                            .map(|(x, _)| policy.indicators[*x].id.as_str())
                            .chain(std::iter::once(policy.indicators[d].id.as_str()))
                            .collect();
                        return Err(EngineError::Cycle(ids.join(" → ")));
                    }
                    _ => {}
                }
            } else {
                state[node] = 2;
                order.push(node);
                stack.pop();
            }
        }
    }
    Ok(order)
}
