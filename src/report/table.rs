//! Paper-style result tables: ADP reduction versus resyn2 per design and method (mean ± std over
//! seeds), the other QoR figures, and arithmetic and geometric means over designs.

use super::records::RunRecord;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Mean and standard deviation of a sample.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stat {
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation (0 for one value).
    pub std: f64,
    /// Sample size.
    pub n: usize,
}

impl Stat {
    /// Statistics of `values`.
    pub fn of(values: &[f64]) -> Stat {
        let n = values.len();
        if n == 0 {
            return Stat { mean: f64::NAN, std: f64::NAN, n };
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        let var = if n > 1 { values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64 } else { 0.0 };
        Stat { mean, std: var.sqrt(), n }
    }
}

/// Geometric mean of positive values (NaN if any is not positive or there are none).
pub fn geomean(values: &[f64]) -> f64 {
    if values.is_empty() || values.iter().any(|&v| v <= 0.0 || !v.is_finite()) {
        return f64::NAN;
    }
    (values.iter().map(|v| v.ln()).sum::<f64>() / values.len() as f64).exp()
}

/// Summary of one method on one design over its seeds.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// ADP reduction vs resyn2 (fraction).
    pub adp_reduction: Stat,
    /// Geometric mean over seeds of best ADP / resyn2 ADP.
    pub adp_ratio: f64,
    /// ABC-judged ADP reduction, if every run has ABC figures.
    pub abc_adp_reduction: Option<Stat>,
    /// ABC-judged geometric-mean ratio.
    pub abc_adp_ratio: Option<f64>,
    /// The recipe replayed in ABC and mapped there, against ABC's resyn2, if every run has ABC
    /// figures.
    pub abc_replay_reduction: Option<Stat>,
    /// Geometric mean over seeds of replay ADP / ABC resyn2 ADP.
    pub abc_replay_ratio: Option<f64>,
    /// Mean ABC-mapped area and delay (ps) of the replayed recipe.
    pub abc_replay_area_delay: Option<(f64, f64)>,
    /// Every ABC `cec` said equivalent (true without ABC figures).
    pub abc_all_equivalent: bool,
    /// Mean mapped area.
    pub area: f64,
    /// Mean mapped delay (ps).
    pub delay_ps: f64,
    /// Mean ANDs.
    pub ands: f64,
    /// Mean levels.
    pub levels: f64,
    /// Mean wall time (s).
    pub seconds: f64,
    /// Mean evaluations.
    pub evaluations: f64,
    /// Every run proven equivalent.
    pub all_equivalent: bool,
}

/// The results of an experiment, summarised per design and method.
#[derive(Clone, Debug, Default)]
pub struct ResultsTable {
    /// Designs in first-seen order of sorted records.
    pub designs: Vec<String>,
    /// Methods in a fixed preferred order, then first-seen.
    pub methods: Vec<String>,
    /// Summaries by (design, method).
    pub cells: BTreeMap<(String, String), Summary>,
}

const METHOD_ORDER: [&str; 6] = ["abcrl", "mcts", "policy", "random", "greedy", "resyn2"];

/// Which figures a mean is over.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Judge {
    /// Our mapper on our AIG, against our resyn2.
    Ours,
    /// ABC's mapper on our AIG, against ABC's resyn2.
    AbcMapped,
    /// The recipe replayed in ABC and mapped there, against ABC's resyn2.
    AbcReplay,
}

/// `1 - adp / base` (the same clipping at -1 as the search's reward).
fn reduction(adp: f64, base: f64) -> f64 {
    crate::search::optimize::reward(adp, base)
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let v: Vec<f64> = values.collect();
    Stat::of(&v).mean
}

impl ResultsTable {
    /// Summarises records (any order).
    pub fn from_records(records: &[RunRecord]) -> ResultsTable {
        let mut groups: BTreeMap<(String, String), Vec<&RunRecord>> = BTreeMap::new();
        let mut designs: Vec<String> = Vec::new();
        let mut methods: Vec<String> = Vec::new();
        for r in records {
            if !designs.contains(&r.design) {
                designs.push(r.design.clone());
            }
            if !methods.contains(&r.method) {
                methods.push(r.method.clone());
            }
            groups.entry((r.design.clone(), r.method.clone())).or_default().push(r);
        }
        designs.sort();
        methods.sort_by_key(|m| (METHOD_ORDER.iter().position(|o| o == m).unwrap_or(usize::MAX), m.clone()));
        let cells = groups
            .into_iter()
            .map(|(k, rs)| {
                let red: Vec<f64> = rs.iter().map(|r| r.adp_reduction).collect();
                let ratios: Vec<f64> = rs.iter().map(|r| r.best.adp / r.resyn2.adp).collect();
                let abc: Option<Vec<&super::records::AbcFigures>> = rs.iter().map(|r| r.abc.as_ref()).collect();
                let s = Summary {
                    adp_reduction: Stat::of(&red),
                    adp_ratio: geomean(&ratios),
                    abc_adp_reduction: abc
                        .as_ref()
                        .map(|a| Stat::of(&a.iter().map(|x| x.adp_reduction).collect::<Vec<_>>())),
                    abc_adp_ratio: abc
                        .as_ref()
                        .map(|a| geomean(&a.iter().map(|x| x.ours.adp / x.resyn2.adp).collect::<Vec<_>>())),
                    abc_replay_reduction: abc.as_ref().map(|a| {
                        Stat::of(&a.iter().map(|x| reduction(x.replay.adp, x.resyn2.adp)).collect::<Vec<_>>())
                    }),
                    abc_replay_ratio: abc
                        .as_ref()
                        .map(|a| geomean(&a.iter().map(|x| x.replay.adp / x.resyn2.adp).collect::<Vec<_>>())),
                    abc_replay_area_delay: abc
                        .as_ref()
                        .map(|a| (mean(a.iter().map(|x| x.replay.area)), mean(a.iter().map(|x| x.replay.delay_ps)))),
                    abc_all_equivalent: abc.as_ref().is_none_or(|a| a.iter().all(|x| x.equivalent)),
                    area: mean(rs.iter().map(|r| r.best.area)),
                    delay_ps: mean(rs.iter().map(|r| r.best.delay_ps)),
                    ands: mean(rs.iter().map(|r| r.best.ands as f64)),
                    levels: mean(rs.iter().map(|r| f64::from(r.best.levels))),
                    seconds: mean(rs.iter().map(|r| r.seconds)),
                    evaluations: mean(rs.iter().map(|r| r.evaluations as f64)),
                    all_equivalent: rs.iter().all(|r| r.equivalent),
                };
                (k, s)
            })
            .collect();
        ResultsTable { designs, methods, cells }
    }

    /// The summary of `method` on `design`, if it ran.
    pub fn get(&self, design: &str, method: &str) -> Option<&Summary> {
        self.cells.get(&(design.to_string(), method.to_string()))
    }

    /// Arithmetic mean over designs of the mean ADP reduction of `method` (designs where it ran
    /// and has figures of `judge`).
    pub fn arithmetic_mean(&self, method: &str, judge: Judge) -> f64 {
        let v: Vec<f64> = self
            .designs
            .iter()
            .filter_map(|d| self.get(d, method))
            .filter_map(|s| match judge {
                Judge::Ours => Some(s.adp_reduction.mean),
                Judge::AbcMapped => s.abc_adp_reduction.map(|a| a.mean),
                Judge::AbcReplay => s.abc_replay_reduction.map(|a| a.mean),
            })
            .collect();
        Stat::of(&v).mean
    }

    /// Geometric-mean ADP reduction of `method`: `1 - geomean_d(ADP_d / ADP_resyn2_d)`, with the
    /// ratio of each design the geometric mean over its seeds.
    pub fn geometric_mean(&self, method: &str, judge: Judge) -> f64 {
        let v: Vec<f64> = self
            .designs
            .iter()
            .filter_map(|d| self.get(d, method))
            .filter_map(|s| match judge {
                Judge::Ours => Some(s.adp_ratio),
                Judge::AbcMapped => s.abc_adp_ratio,
                Judge::AbcReplay => s.abc_replay_ratio,
            })
            .collect();
        1.0 - geomean(&v)
    }

    fn has_abc(&self) -> bool {
        self.cells.values().any(|s| s.abc_adp_reduction.is_some())
    }

    /// One ADP-reduction table (percent, mean ± std over seeds) with its mean rows.
    fn reduction_table(&self, out: &mut String, judge: Judge) {
        let pct = |s: &Stat| {
            if s.n > 1 {
                format!("{:.1} ± {:.1}", 100.0 * s.mean, 100.0 * s.std)
            } else {
                format!("{:.1}", 100.0 * s.mean)
            }
        };
        let _ = writeln!(out, "| design | {} |", self.methods.join(" | "));
        let _ = writeln!(out, "|---|{}", "---|".repeat(self.methods.len()));
        for d in &self.designs {
            let cells: Vec<String> = self
                .methods
                .iter()
                .map(|m| {
                    let Some(s) = self.get(d, m) else { return "–".into() };
                    let stat = match judge {
                        Judge::Ours => Some(s.adp_reduction),
                        Judge::AbcMapped => s.abc_adp_reduction,
                        Judge::AbcReplay => s.abc_replay_reduction,
                    };
                    let Some(stat) = stat else { return "–".into() };
                    let mut c = pct(&stat);
                    if !s.all_equivalent {
                        c.push_str(" (NOT PROVEN)");
                    }
                    if judge != Judge::Ours && !s.abc_all_equivalent {
                        c.push_str(" (ABC cec: NOT EQUIVALENT)");
                    }
                    c
                })
                .collect();
            let _ = writeln!(out, "| {d} | {} |", cells.join(" | "));
        }
        for (label, geo) in [("arithmetic mean", false), ("geometric mean", true)] {
            let cells: Vec<String> = self
                .methods
                .iter()
                .map(|m| {
                    let v = if geo { self.geometric_mean(m, judge) } else { self.arithmetic_mean(m, judge) };
                    if v.is_finite() { format!("**{:.1}**", 100.0 * v) } else { "–".into() }
                })
                .collect();
            let _ = writeln!(out, "| {label} | {} |", cells.join(" | "));
        }
    }

    /// The ADP-reduction tables (ours; with ABC figures also ABC's) and the detail table, as
    /// markdown.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let abc = self.has_abc();
        let _ = writeln!(out, "## ADP reduction vs resyn2 (%, abcrl's mapper; mean ± std over seeds)\n");
        self.reduction_table(&mut out, Judge::Ours);
        if abc {
            let _ = writeln!(
                out,
                "\n## Measured by ABC: each recipe replayed in ABC and mapped there, vs ABC's resyn2 (%)\n"
            );
            self.reduction_table(&mut out, Judge::AbcReplay);
            let _ = writeln!(out, "\n## Measured by ABC: our optimized AIG mapped by ABC, vs ABC's resyn2 (%)\n");
            self.reduction_table(&mut out, Judge::AbcMapped);
        }
        let _ = writeln!(out, "\n## Details (means over seeds)\n");
        let abc_head = if abc { " ABC area | ABC delay (ps) |" } else { "" };
        let _ =
            writeln!(out, "| design | method | area | delay (ps) | ANDs | levels | evaluations | time (s) |{abc_head}");
        let _ = writeln!(out, "|---|---|---|---|---|---|---|---|{}", if abc { "---|---|" } else { "" });
        for d in &self.designs {
            for m in &self.methods {
                if let Some(s) = self.get(d, m) {
                    let abc_cells = match (abc, s.abc_replay_area_delay) {
                        (false, _) => String::new(),
                        (true, Some((a, dl))) => format!(" {a:.2} | {dl:.1} |"),
                        (true, None) => " – | – |".into(),
                    };
                    let _ = writeln!(
                        out,
                        "| {d} | {m} | {:.2} | {:.1} | {:.0} | {:.1} | {:.0} | {:.2} |{abc_cells}",
                        s.area, s.delay_ps, s.ands, s.levels, s.evaluations, s.seconds
                    );
                }
            }
        }
        out
    }

    /// One row per (design, method), machine-readable (ABC columns empty without ABC figures).
    pub fn csv(&self) -> String {
        let mut out = String::from(
            "design,method,runs,adp_reduction_mean,adp_reduction_std,adp_ratio_geomean,\
             abc_adp_reduction_mean,abc_adp_reduction_std,abc_adp_ratio_geomean,\
             abc_replay_reduction_mean,abc_replay_reduction_std,abc_replay_ratio_geomean,abc_replay_area,abc_replay_delay_ps,\
             area,delay_ps,ands,levels,evaluations,seconds,all_equivalent,abc_all_equivalent\n",
        );
        let opt_stat = |s: Option<Stat>| s.map_or(",".to_string(), |a| format!("{:.6},{:.6}", a.mean, a.std));
        let opt = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.6}"));
        for ((d, m), s) in &self.cells {
            let (ra, rd) = s
                .abc_replay_area_delay
                .map_or((String::new(), String::new()), |(a, dl)| (format!("{a:.4}"), format!("{dl:.3}")));
            let _ = writeln!(
                out,
                "{d},{m},{},{:.6},{:.6},{:.6},{},{},{},{},{ra},{rd},{:.4},{:.3},{:.1},{:.2},{:.1},{:.4},{},{}",
                s.adp_reduction.n,
                s.adp_reduction.mean,
                s.adp_reduction.std,
                s.adp_ratio,
                opt_stat(s.abc_adp_reduction),
                opt(s.abc_adp_ratio),
                opt_stat(s.abc_replay_reduction),
                opt(s.abc_replay_ratio),
                s.area,
                s.delay_ps,
                s.ands,
                s.levels,
                s.evaluations,
                s.seconds,
                s.all_equivalent,
                s.abc_all_equivalent
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::records::sample_record;

    #[test]
    fn numbers_recomputed_from_records() {
        let recs = vec![
            sample_record("d1", "mcts", 1, 0.10),
            sample_record("d1", "mcts", 2, 0.20),
            sample_record("d2", "mcts", 1, 0.30),
            sample_record("d1", "random", 1, 0.05),
        ];
        let t = ResultsTable::from_records(&recs);
        assert_eq!(t.designs, vec!["d1", "d2"]);
        assert_eq!(t.methods, vec!["mcts", "random"]);
        let s = t.get("d1", "mcts").unwrap();
        assert!((s.adp_reduction.mean - 0.15).abs() < 1e-12);
        assert!((s.adp_reduction.std - (0.005f64).sqrt()).abs() < 1e-12);
        // d1: geomean(0.9, 0.8); d2: 0.7.
        let d1 = (0.9f64 * 0.8).sqrt();
        let want = 1.0 - (d1 * 0.7).sqrt();
        assert!((t.geometric_mean("mcts", Judge::Ours) - want).abs() < 1e-12);
        assert!((t.arithmetic_mean("mcts", Judge::Ours) - 0.225).abs() < 1e-12);
        let md = t.markdown();
        assert!(md.contains("| d1 | 15.0 ± 7.1 | 5.0 |"), "{md}");
        assert!(md.contains("| d2 | 30.0 | – |"), "{md}");
        let csv = t.csv();
        assert_eq!(csv.lines().count(), 4);
        assert!(csv.contains("d1,mcts,2,0.150000"));
    }
}
