//! `abcrl train`'s loop: training lowers the loss, resuming equals an uninterrupted run, and the
//! results do not depend on the thread count. Tiny network, synthetic rewards: fast.

use abcrl::aig::Aig;
use abcrl::learn::selfplay_loop::{LoopConfig, LoopDesign, TrainLoop, checkpoint_paths};
use abcrl::learn::{Features, ModelConfig, TrainConfig};
use abcrl::search::mcts::RecipeEvaluator;
use std::path::{Path, PathBuf};

/// Reward: agreement with a hidden recipe, weighted towards early moves.
struct Hidden(Vec<u8>);

impl RecipeEvaluator for Hidden {
    fn evaluate(&self, recipe: &[u8]) -> f64 {
        let mut r = 0.0;
        for (i, (a, b)) in recipe.iter().zip(&self.0).enumerate() {
            if a == b {
                r += 1.0 / (i + 2) as f64;
            }
        }
        r / 2.0 - 0.3
    }
}

fn aig(n: usize, xor: bool) -> Aig {
    let mut g = Aig::new();
    let ins: Vec<_> = (0..n).map(|_| g.add_input()).collect();
    let mut acc = ins[0];
    for &i in &ins[1..] {
        acc = if xor { g.xor(acc, i) } else { g.and(acc, !i) };
    }
    g.add_output(acc);
    g
}

fn config(iterations: usize, steps: usize) -> LoopConfig {
    LoopConfig {
        iterations,
        episodes_per_iter: 4,
        seed: 11,
        length: 4,
        simulations: vec![24, 12, 8, 4],
        size_ref: 100,
        min_scale: 0.5,
        min_simulations: 2,
        period_ands: 0,
        noise: (0.25, 0.3),
        c_puct: 1.38,
        batch: 2,
        buffer_capacity: 30,
        steps_per_iter: steps,
        batch_size: 16,
        designs_per_step: 1,
        best_recipe_targets: true,
        train: TrainConfig { lr: 5e-3, ..TrainConfig::default() },
        model: ModelConfig::tiny(),
    }
}

fn designs<'a>(evals: &'a [Hidden; 2]) -> Vec<LoopDesign<'a>> {
    vec![
        LoopDesign { name: "and".into(), ands: 7, features: Features::from_aig(&aig(8, false)), evaluator: &evals[0] },
        LoopDesign { name: "xor".into(), ands: 21, features: Features::from_aig(&aig(8, true)), evaluator: &evals[1] },
    ]
}

fn evals() -> [Hidden; 2] {
    [Hidden(vec![3, 1, 4, 1]), Hidden(vec![5, 6, 2, 0])]
}

struct TempDir(PathBuf);
impl TempDir {
    fn new(name: &str) -> TempDir {
        let d = std::env::temp_dir().join(format!("abcrl-train-loop-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        TempDir(d)
    }
}
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn model_bytes(tl: &TrainLoop, out: &Path) -> Vec<u8> {
    tl.save(out).unwrap();
    std::fs::read(out.with_extension("bpk")).unwrap()
}

#[test]
fn training_lowers_the_buffer_loss() {
    let e = evals();
    // Same seed: both runs play the same first iteration (fresh network), so they share the buffer.
    let mut one = TrainLoop::new(config(1, 1), designs(&e)).unwrap();
    one.step().unwrap();
    let mut many = TrainLoop::new(config(1, 40), designs(&e)).unwrap();
    many.step().unwrap();
    assert_eq!(one.state().buffer, many.state().buffer);
    // 4 episodes × 4 steps, plus 4 best-recipe samples each, capped at the capacity (30).
    assert_eq!(one.state().buffer.len(), 30);
    let l1 = one.buffer_loss().unwrap().unwrap();
    let l40 = many.buffer_loss().unwrap().unwrap();
    // The cross-entropy includes the targets' entropy; its reducible part is the KL divergence.
    assert!(l40.total < l1.total, "{l1:?} -> {l40:?}");
    assert!(l40.policy_kl < 0.95 * l1.policy_kl, "{l1:?} -> {l40:?}");
    assert!(l40.value < 0.5 * l1.value, "{l1:?} -> {l40:?}");
}

#[test]
fn resume_equals_uninterrupted_and_threads_do_not_matter() {
    let e = evals();
    let dir = TempDir::new("resume");
    let straight_out = dir.0.join("straight");
    let pool = |n: usize| rayon::ThreadPoolBuilder::new().num_threads(n).build().unwrap();
    let (straight, straight_state) = pool(2).install(|| {
        let mut tl = TrainLoop::new(config(3, 5), designs(&e)).unwrap();
        tl.run(Some(&straight_out), |_| {}, || false).unwrap();
        (model_bytes(&tl, &straight_out), tl.state().clone())
    });
    let out = dir.0.join("split");
    pool(1).install(|| {
        let mut tl = TrainLoop::new(config(3, 5), designs(&e)).unwrap();
        // Stop after the second iteration, as an interrupted run would.
        let n = std::cell::Cell::new(0);
        tl.run(
            Some(&out),
            |_| {},
            || {
                n.set(n.get() + 1);
                n.get() == 2
            },
        )
        .unwrap();
        assert_eq!(tl.state().iteration, 2);
    });
    assert!(checkpoint_paths(&out).0.is_file() && checkpoint_paths(&out).1.is_file());
    let (resumed, resumed_state) = pool(3).install(|| {
        let mut tl = TrainLoop::resume(config(3, 5), designs(&e), &out).unwrap();
        assert_eq!(tl.state().iteration, 2);
        tl.run(Some(&out), |_| {}, || false).unwrap();
        (model_bytes(&tl, &out), tl.state().clone())
    });
    assert_eq!(straight, resumed, "resumed model differs from the uninterrupted one");
    assert_eq!(straight_state.buffer, resumed_state.buffer);
    let losses = |s: &abcrl::learn::selfplay_loop::LoopState| s.log.iter().map(|r| r.losses).collect::<Vec<_>>();
    assert_eq!(losses(&straight_state), losses(&resumed_state));
    // Another setting is refused on resume.
    let mut other = config(3, 5);
    other.batch_size = 8;
    let err = TrainLoop::resume(other, designs(&e), &out).err().unwrap().to_string();
    assert!(err.contains("does not match"), "{err}");
}
