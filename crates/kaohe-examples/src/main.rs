//! make-examples: writes every example folder under examples/ (示例数据生成).
fn main() {}
