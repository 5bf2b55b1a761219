//! Tuning the alpha schedule on validation designs (`abcrl tune-alpha`).
//!
//! For each validation design the search is run at a grid of fixed α values (a few seeds each),
//! giving its mean reward as a function of α, linearly interpolated between grid points. A
//! schedule (δ_th, T) maps the design's retrieval distance δ to α(δ); its score is the mean over
//! designs of the interpolated reward at α(δ). The chosen schedule maximises the score over a grid
//! of (δ_th, T); near-ties (within [`SCORE_TOLERANCE`], below the noise of the measurements) go
//! to the larger T, so the choice is deterministic and as smooth as the data allow.

use super::alpha::{AlphaParams, alpha_from_delta};
use serde::{Deserialize, Serialize};

/// One validation design's measurements.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TuneRow {
    /// Design name.
    pub name: String,
    /// Its retrieval distance δ.
    pub delta: f64,
    /// Mean reward at each grid α (same order as [`TuneTable::alphas`]).
    pub rewards: Vec<f64>,
}

/// The measurements of a tuning run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TuneTable {
    /// The α grid, ascending.
    pub alphas: Vec<f64>,
    /// One row per design.
    pub rows: Vec<TuneRow>,
}

/// The chosen schedule and its score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TuneChoice {
    /// δ_th.
    pub threshold: f64,
    /// T.
    pub temperature: f64,
    /// Mean interpolated reward over the designs.
    pub score: f64,
    /// α of each design under the schedule, in row order.
    pub alphas: Vec<f64>,
}

/// Piecewise-linear interpolation of `ys` over ascending `xs` at `x` (clamped to the ends).
pub fn interpolate(xs: &[f64], ys: &[f64], x: f64) -> f64 {
    debug_assert_eq!(xs.len(), ys.len());
    match xs.len() {
        0 => 0.0,
        1 => ys[0],
        _ => {
            if x <= xs[0] {
                return ys[0];
            }
            for i in 1..xs.len() {
                if x <= xs[i] {
                    let t = (x - xs[i - 1]) / (xs[i] - xs[i - 1]).max(1e-300);
                    return ys[i - 1] + t * (ys[i] - ys[i - 1]);
                }
            }
            ys[xs.len() - 1]
        }
    }
}

/// The score of schedule `(threshold, temperature)` on `table`: mean interpolated reward.
pub fn score(table: &TuneTable, threshold: f64, temperature: f64) -> (f64, Vec<f64>) {
    let params = AlphaParams { threshold, temperature, ..AlphaParams::default() };
    let alphas: Vec<f64> = table.rows.iter().map(|r| alpha_from_delta(r.delta, &params)).collect();
    let n = table.rows.len().max(1) as f64;
    let s = table.rows.iter().zip(&alphas).map(|(r, &a)| interpolate(&table.alphas, &r.rewards, a)).sum::<f64>() / n;
    (s, alphas)
}

/// The default grids: thresholds spanning the observed distances (and beyond both ends), and
/// temperatures on a log scale relative to their spread.
pub fn default_grid(table: &TuneTable) -> (Vec<f64>, Vec<f64>) {
    let mut ds: Vec<f64> = table.rows.iter().map(|r| r.delta).filter(|d| d.is_finite()).collect();
    ds.sort_by(f64::total_cmp);
    let hi = ds.last().copied().unwrap_or(1.0).max(1e-4);
    let mut thresholds: Vec<f64> = Vec::new();
    // Below every design, between each pair, above every design, plus a fine uniform sweep.
    thresholds.push(0.0);
    for w in ds.windows(2) {
        thresholds.push(0.5 * (w[0] + w[1]));
    }
    for i in 0..=40 {
        thresholds.push(hi * 1.5 * i as f64 / 40.0);
    }
    thresholds.sort_by(f64::total_cmp);
    thresholds.dedup_by(|a, b| (*a - *b).abs() < 1e-12);
    let temperatures: Vec<f64> = (0..13).map(|i| hi * 2f64.powi(1 - i)).collect();
    (thresholds, temperatures)
}

/// Scores within this of the best count as ties (0.1% ADP: below the seed-to-seed noise of a
/// 100-evaluation search), so that the smoothest near-best schedule is chosen, not a knife-edge
/// switch fitted to a handful of noisy designs.
pub const SCORE_TOLERANCE: f64 = 1e-3;

/// Chooses the schedule maximising [`score`] over the grids: among the schedules scoring within
/// `tolerance` of the best, the largest T, then the best score, then the smallest δ_th.
pub fn choose(table: &TuneTable, thresholds: &[f64], temperatures: &[f64], tolerance: f64) -> Option<TuneChoice> {
    let mut temps = temperatures.to_vec();
    temps.sort_by(|a, b| b.total_cmp(a)); // larger T first
    let mut ths = thresholds.to_vec();
    ths.sort_by(f64::total_cmp);
    let mut all: Vec<TuneChoice> = Vec::new();
    for &t in &temps {
        if t.is_nan() || t <= 0.0 {
            continue;
        }
        for &th in &ths {
            let (s, alphas) = score(table, th, t);
            all.push(TuneChoice { threshold: th, temperature: t, score: s, alphas });
        }
    }
    let top = all.iter().map(|c| c.score).fold(f64::NEG_INFINITY, f64::max);
    let mut best: Option<TuneChoice> = None;
    for c in all {
        if c.score < top - tolerance.max(0.0) {
            continue;
        }
        let better = match &best {
            None => true,
            Some(b) => c.temperature > b.temperature || (c.temperature == b.temperature && c.score > b.score + 1e-12),
        };
        if better {
            best = Some(c);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation() {
        let xs = [0.0, 0.5, 1.0];
        let ys = [1.0, 3.0, 2.0];
        assert_eq!(interpolate(&xs, &ys, -1.0), 1.0);
        assert_eq!(interpolate(&xs, &ys, 0.25), 2.0);
        assert_eq!(interpolate(&xs, &ys, 0.75), 2.5);
        assert_eq!(interpolate(&xs, &ys, 2.0), 2.0);
    }
}
