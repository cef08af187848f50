//! Ranking groups by level (P1.4) come in the policy's level order, not character-code order.

mod core_support;
use core_support::*;

#[test]
fn p1_4_level_groups_in_level_order() {
    let p = policy(
        r#"
[[input]]
id = "s"
name = "得分"
type = "decimal"
[[indicator]]
id = "score"
name = "得分"
value = { input = "s" }
[ranking]
by = "score"
group_by = ["level"]
[levels]
order = [{ id = "trial", name = "见习" }, { id = "junior", name = "初级" }, { id = "middle", name = "中级" }, { id = "senior", name = "高级" }]
"#,
    );
    let mut people = Vec::new();
    let mut f = Vec::new();
    for (id, level) in [
        ("a", "高级"),
        ("b", "中级"),
        ("c", "初级"),
        ("d", "见习"),
        ("e", "中级"),
    ] {
        let mut x = person(id, "x");
        x.level = Some(level.into());
        people.push(x);
        f.push((id, facts(&[("s", n("80"))])));
    }
    let r = run(&p, &input(people, f));
    let keys: Vec<&str> = r.groups.iter().map(|g| g.key.as_str()).collect();
    // Character-code order would be 中级, 初级, 见习, 高级.
    assert_eq!(keys, ["见习", "初级", "中级", "高级"]);
    let order: Vec<&str> = r.people.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(order, ["d", "c", "b", "e", "a"]);
}
