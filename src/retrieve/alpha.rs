//! The alpha schedule: from nearest-neighbour distances to the policy's weight in the search.

use super::index::Neighbor;
use serde::{Deserialize, Serialize};

/// How the distances of the k nearest training designs combine into one δ.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Weighting {
    /// δ of the nearest design only (ABC-RL).
    Nearest,
    /// Inverse-distance weighted mean of the k nearest distances.
    InverseDistance,
}

/// Parameters of the alpha schedule, tuned on the validation designs and stored with the model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlphaParams {
    /// Threshold δ_th: α = 0.5 at δ = δ_th.
    pub threshold: f64,
    /// Temperature T (> 0): smaller is a sharper switch.
    pub temperature: f64,
    /// Neighbours used (1 = nearest only).
    pub k: usize,
    /// How the k distances combine.
    pub weighting: Weighting,
}

impl Default for AlphaParams {
    /// ABC-RL's released constants (δ_th = 0.007, T = 1/100), nearest neighbour only.
    fn default() -> Self {
        AlphaParams { threshold: 0.007, temperature: 0.01, k: 1, weighting: Weighting::Nearest }
    }
}

/// α = 1 − σ((δ − δ_th) / T), in [0, 1]; 0.5 at δ = δ_th, falling as δ grows.
pub fn alpha_from_delta(delta: f64, params: &AlphaParams) -> f64 {
    let t = params.temperature.max(1e-12);
    let z = (delta - params.threshold) / t;
    // 1 - sigmoid(z) = sigmoid(-z), computed stably.
    if z >= 0.0 {
        let e = (-z).exp();
        e / (1.0 + e)
    } else {
        1.0 / (1.0 + z.exp())
    }
}

/// The combined distance δ of a design from its (sorted) nearest neighbours.
pub fn combined_delta(neighbors: &[Neighbor], params: &AlphaParams) -> f64 {
    let k = params.k.max(1).min(neighbors.len());
    if k == 0 {
        return f64::INFINITY;
    }
    match params.weighting {
        Weighting::Nearest => neighbors[0].distance,
        Weighting::InverseDistance => {
            let eps = 1e-6;
            let (num, den) = neighbors[..k].iter().fold((0.0, 0.0), |(n, d), nb| {
                let w = 1.0 / (nb.distance + eps);
                (n + w * nb.distance, d + w)
            });
            num / den
        }
    }
}

/// What retrieval found for one design.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Retrieval {
    /// The nearest training designs, closest first.
    pub neighbors: Vec<Neighbor>,
    /// The combined distance δ.
    pub delta: f64,
    /// The resulting α.
    pub alpha: f64,
}

impl Retrieval {
    /// Combines neighbours into δ and α.
    pub fn from_neighbors(neighbors: Vec<Neighbor>, params: &AlphaParams) -> Retrieval {
        let delta = combined_delta(&neighbors, params);
        let alpha = if delta.is_finite() { alpha_from_delta(delta, params) } else { 0.0 };
        Retrieval { neighbors, delta, alpha }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_values() {
        let p = AlphaParams::default();
        assert!((alpha_from_delta(0.007, &p) - 0.5).abs() < 1e-12);
        // ABC-RL's cap: at δ = 0, α = 1 − σ(−0.7) ≈ 0.668.
        assert!((alpha_from_delta(0.0, &p) - 0.668_187_772).abs() < 1e-6);
        assert!(alpha_from_delta(0.125, &p) < 1e-4);
        let sharp = AlphaParams { threshold: 0.05, temperature: 0.005, ..p.clone() };
        assert!(alpha_from_delta(0.0, &sharp) > 0.9999);
        assert!(alpha_from_delta(1e9, &p) >= 0.0 && alpha_from_delta(-1e9, &p) <= 1.0);
    }

    #[test]
    fn knn_weighting() {
        let nb = |d: f64| Neighbor { name: String::new(), distance: d };
        let p = AlphaParams { k: 2, weighting: Weighting::InverseDistance, ..Default::default() };
        let d = combined_delta(&[nb(0.01), nb(0.03)], &p);
        assert!(d > 0.01 && d < 0.02, "{d}");
        let near = AlphaParams::default();
        assert_eq!(combined_delta(&[nb(0.01), nb(0.03)], &near), 0.01);
        assert!(combined_delta(&[], &near).is_infinite());
    }
}
