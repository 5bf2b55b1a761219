//! Tables and plots of an experiment, rebuilt from its run records alone.
//!
//! Files written into the results folder:
//! - `results.md`, `results.csv`: the per-design × method table ([`ResultsTable`]);
//! - `curve.svg/png`: best-so-far ADP reduction against evaluations per method, averaged over
//!   seeds, then over designs (the iso-QoR picture);
//! - `bars.svg/png` (and `bars_abc.svg/png` with ABC figures): mean ADP reduction per design;
//! - `alpha_delta.svg/png`: α against δ of the designs, when the `abcrl` method ran.

use super::EvalError;
use crate::report::plot::{Series, grouped_bars, line_chart, scatter};
use crate::report::records::RunRecord;
use crate::report::table::ResultsTable;
use crate::retrieve::alpha_from_delta;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// When records of several budgets or lengths are mixed, method names get the setting appended
/// (`mcts@100x10`) so that different experiments never share a table cell.
pub fn label_settings(records: &[RunRecord]) -> Vec<RunRecord> {
    let settings: BTreeSet<(usize, usize)> = records.iter().map(|r| (r.budget, r.length)).collect();
    if settings.len() <= 1 {
        return records.to_vec();
    }
    records
        .iter()
        .map(|r| RunRecord { method: format!("{}@{}x{}", r.method, r.budget, r.length), ..r.clone() })
        .collect()
}

/// Best-so-far reward of a run after `e` evaluations (the run's final best after its last one).
pub fn best_after(r: &RunRecord, e: usize) -> Option<f64> {
    r.curve.iter().take_while(|p| p.evaluations <= e).last().map(|p| p.best_reward)
}

/// The mean best-so-far curve of `method`: for each evaluation count 1..=max budget, the mean
/// over designs of the mean over seeds of the best reward so far (a fraction).
pub fn mean_curve(records: &[RunRecord], method: &str) -> Vec<(usize, f64)> {
    let mut by_design: BTreeMap<&str, Vec<&RunRecord>> = BTreeMap::new();
    for r in records.iter().filter(|r| r.method == method) {
        by_design.entry(&r.design).or_default().push(r);
    }
    let max_e = records.iter().filter(|r| r.method == method).map(|r| r.budget.max(r.evaluations)).max().unwrap_or(0);
    let mut out = Vec::with_capacity(max_e);
    for e in 1..=max_e {
        let mut design_means = Vec::with_capacity(by_design.len());
        for runs in by_design.values() {
            let v: Vec<f64> = runs.iter().filter_map(|r| best_after(r, e)).collect();
            if v.len() == runs.len() {
                design_means.push(v.iter().sum::<f64>() / v.len() as f64);
            }
        }
        // A point only when every design has a value, so the mean is over the same designs.
        if !by_design.is_empty() && design_means.len() == by_design.len() {
            out.push((e, design_means.iter().sum::<f64>() / design_means.len() as f64));
        }
    }
    out
}

/// Short design labels for plots: the name without its suite folder when that stays unique.
fn short_names(designs: &[String]) -> Vec<String> {
    let short: Vec<String> = designs.iter().map(|d| d.rsplit('/').next().unwrap_or(d).to_string()).collect();
    let unique: BTreeSet<&String> = short.iter().collect();
    if unique.len() == short.len() { short } else { designs.to_vec() }
}

/// The heading of `results.md`: what ran, and whether every result was proven.
fn heading(records: &[RunRecord], table: &ResultsTable) -> String {
    let mut s = String::from("# abcrl eval results\n\n");
    let seeds: BTreeSet<u64> = records.iter().map(|r| r.seed).collect();
    let settings: BTreeSet<(usize, usize)> = records.iter().map(|r| (r.budget, r.length)).collect();
    let settings: Vec<String> = settings.iter().map(|(b, l)| format!("budget {b} evaluations, length {l}")).collect();
    let unproven = records.iter().filter(|r| !r.equivalent).count();
    let total_s: f64 = records.iter().map(|r| r.seconds).sum();
    let _ = writeln!(
        s,
        "{} runs: {} designs × {} methods ({}), seeds {:?}; {}. Run time summed over runs: {:.1} s.\n",
        records.len(),
        table.designs.len(),
        table.methods.len(),
        table.methods.join(", "),
        seeds,
        settings.join("; "),
        total_s
    );
    if unproven == 0 {
        let _ = writeln!(s, "Every result was proven equivalent to its input by abcrl's SAT-based CEC.\n");
    } else {
        let _ = writeln!(s, "**{unproven} results were NOT proven equivalent to their input** (marked below).\n");
    }
    if records.iter().any(|r| r.abc.as_ref().is_some_and(|a| !a.equivalent)) {
        let _ = writeln!(s, "**ABC's `cec` found results NOT equivalent to their input.**\n");
    }
    let _ = writeln!(
        s,
        "ADP reduction = 1 − ADP / ADP(resyn2) after mapping to the same library; positive is better. \
         The geometric mean is 1 − geomean over designs of ADP / ADP(resyn2). Deterministic methods \
         (greedy, resyn2) run once per design.\n"
    );
    s
}

/// Writes the tables and plots of `records` into `dir`; returns the files written.
pub fn write_report(dir: &Path, records: &[RunRecord]) -> Result<Vec<PathBuf>, EvalError> {
    let io = |file: &Path, error| EvalError::Io { file: file.to_path_buf(), error };
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let records = label_settings(records);
    let table = ResultsTable::from_records(&records);
    let mut files = Vec::new();
    let md = dir.join("results.md");
    let mut text = heading(&records, &table);
    text.push_str(&table.markdown());
    std::fs::write(&md, text).map_err(|e| io(&md, e))?;
    files.push(md);
    let csv = dir.join("results.csv");
    std::fs::write(&csv, table.csv()).map_err(|e| io(&csv, e))?;
    files.push(csv);
    if records.is_empty() {
        return Ok(files);
    }

    let series: Vec<Series> = table
        .methods
        .iter()
        .map(|m| {
            let points = mean_curve(&records, m).into_iter().map(|(e, v)| (e as f64, 100.0 * v)).collect();
            let mut s = Series::new(m.clone(), points).steps();
            if m.starts_with("resyn2") {
                // One evaluation: drawn across the whole budget as the reference line.
                let max_x = records.iter().map(|r| r.budget).max().unwrap_or(1) as f64;
                s.points = vec![(1.0, 0.0), (max_x, 0.0)];
                s.reference = true;
            }
            s
        })
        .filter(|s| !s.points.is_empty())
        .collect();
    let n_designs = table.designs.len();
    let seeds: BTreeSet<u64> = records.iter().map(|r| r.seed).collect();
    let (svg, png) = line_chart(
        &dir.join("curve"),
        &format!(
            "Best ADP reduction vs resyn2 so far ({n_designs} design{}, {} seed{})",
            if n_designs == 1 { "" } else { "s" },
            seeds.len(),
            if seeds.len() == 1 { "" } else { "s" }
        ),
        "evaluations (recipes mapped and timed)",
        "ADP reduction vs resyn2 (%)",
        &series,
    )?;
    files.extend([svg, png]);

    let labels = short_names(&table.designs);
    let bar_methods: Vec<&String> = table.methods.iter().filter(|m| !m.starts_with("resyn2")).collect();
    let bars: Vec<(String, Vec<f64>)> = bar_methods
        .iter()
        .map(|m| {
            let v =
                table.designs.iter().map(|d| table.get(d, m).map_or(0.0, |s| 100.0 * s.adp_reduction.mean)).collect();
            ((*m).clone(), v)
        })
        .collect();
    let (svg, png) = grouped_bars(
        &dir.join("bars"),
        "ADP reduction vs resyn2 per design (mean over seeds)",
        "ADP reduction vs resyn2 (%)",
        &labels,
        &bars,
    )?;
    files.extend([svg, png]);

    if table.cells.values().any(|s| s.abc_adp_reduction.is_some()) {
        let bars: Vec<(String, Vec<f64>)> = bar_methods
            .iter()
            .map(|m| {
                let v = table
                    .designs
                    .iter()
                    .map(|d| table.get(d, m).and_then(|s| s.abc_replay_reduction).map_or(0.0, |a| 100.0 * a.mean))
                    .collect();
                ((*m).clone(), v)
            })
            .collect();
        let (svg, png) = grouped_bars(
            &dir.join("bars_abc"),
            "Recipes replayed and mapped in ABC: ADP reduction vs ABC's resyn2",
            "ADP reduction vs ABC resyn2 (%)",
            &labels,
            &bars,
        )?;
        files.extend([svg, png]);
    }

    let mut points: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    let mut schedule = None;
    for r in records.iter().filter(|r| r.method.starts_with("abcrl")) {
        if let (Some(a), Some(d)) = (r.alpha, r.delta) {
            points.insert(&r.design, (d, a));
            schedule = schedule.or(r.alpha_schedule.clone());
        }
    }
    if !points.is_empty() {
        let pts: Vec<(f64, f64, String)> =
            points.iter().map(|(name, &(d, a))| (d, a, name.rsplit('/').next().unwrap_or(name).to_string())).collect();
        let max_d = pts.iter().map(|p| p.0).fold(0.0f64, f64::max);
        let x_max = match &schedule {
            Some(s) => max_d.max(2.0 * s.threshold),
            None => max_d,
        };
        let x_max = if x_max > 0.0 { x_max * 1.15 } else { 1.0 };
        let (curve, title) = match &schedule {
            Some(s) => (
                (0..=200).map(|i| x_max * f64::from(i) / 200.0).map(|d| (d, alpha_from_delta(d, s))).collect(),
                format!("Retrieved α against δ (line: α(δ), δ_th = {:.3}, T = {:.3})", s.threshold, s.temperature),
            ),
            None => (Vec::new(), "Retrieved α against retrieval distance δ".to_string()),
        };
        let (svg, png) = scatter(
            &dir.join("alpha_delta"),
            &title,
            "δ (distance to the nearest training designs)",
            "α (weight of the policy prior)",
            &pts,
            &curve,
            Some((0.0, x_max)),
            Some((0.0, 1.05)),
        )?;
        files.extend([svg, png]);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::mcts::CurvePoint;

    fn rec(design: &str, seed: u64, curve: &[(usize, f64)]) -> RunRecord {
        let (evaluations, reduction) = *curve.last().unwrap();
        RunRecord {
            budget: 4,
            length: 3,
            evaluations,
            seconds: 0.0,
            curve: curve
                .iter()
                .map(|&(evaluations, best_reward)| CurvePoint { evaluations, best_reward, seconds: 0.0 })
                .collect(),
            ..crate::report::records::sample_record(design, "mcts", seed, reduction)
        }
    }

    #[test]
    fn curves_average_seeds_then_designs() {
        let recs = vec![
            rec("a", 1, &[(1, 0.0), (3, 0.2), (4, 0.2)]),
            rec("a", 2, &[(1, 0.1), (2, 0.4), (4, 0.4)]),
            rec("b", 1, &[(1, -0.2), (2, 0.1)]),
        ];
        let c = mean_curve(&recs, "mcts");
        let want = [
            (1, ((0.0 + 0.1) / 2.0 + -0.2) / 2.0),
            (2, ((0.0 + 0.4) / 2.0 + 0.1) / 2.0),
            (3, ((0.2 + 0.4) / 2.0 + 0.1) / 2.0),
            (4, ((0.2 + 0.4) / 2.0 + 0.1) / 2.0),
        ];
        assert_eq!(c.len(), 4);
        for ((e, v), (we, wv)) in c.iter().zip(want) {
            assert_eq!(*e, we);
            assert!((v - wv).abs() < 1e-12);
        }
        let mixed = label_settings(&[rec("a", 1, &[(1, 0.0)]), RunRecord { budget: 9, ..rec("a", 1, &[(1, 0.0)]) }]);
        assert_eq!(mixed[0].method, "mcts@4x3");
        assert_eq!(mixed[1].method, "mcts@9x3");
    }
}
