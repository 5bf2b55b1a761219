//! A model built into the binary with `embedded_policy!` loads and is the model a test produced.
//!
//! The fixture `tests/data/learn_tiny_policy.{bpk,json}` is written by
//! `cargo test --release --test learn_embedded -- --ignored regenerate_fixture` (a tiny network
//! trained for a few deterministic steps); the test below rebuilds the same model in memory and
//! checks that the embedded one gives the same outputs.

use abcrl::aig::Aig;
use abcrl::learn::{Features, ModelConfig, NUM_MOVES, Policy, Sample, TrainConfig, Trainer};
use std::path::Path;

const FIXTURE: &str = "tests/data/learn_tiny_policy";

fn design(n: usize) -> Aig {
    let mut g = Aig::new();
    let ins: Vec<_> = (0..n).map(|_| g.add_input()).collect();
    let a = g.xor(ins[0], ins[1]);
    let b = g.and_many(&ins[2..]);
    let c = g.mux(a, b, ins[n - 1]);
    g.add_output(c);
    g.add_output(!a);
    g
}

/// The fixture model: tiny sizes, seed 2024, 20 steps on a toy target over two designs.
fn fixture_trainer() -> Trainer {
    let mut t = Trainer::new(ModelConfig::tiny(), TrainConfig { lr: 1e-2, ..Default::default() }, 2024);
    let a = t.add_design("toy_a", &Features::from_aig(&design(5)));
    let b = t.add_design("toy_b", &Features::from_aig(&design(8)));
    let mut samples = Vec::new();
    for (d, best) in [(a, 1usize), (b, 4)] {
        for prefix in [vec![], vec![6u8], vec![6, 2]] {
            let mut policy = [0.0f32; NUM_MOVES];
            policy[(best + prefix.len()) % NUM_MOVES] = 1.0;
            samples.push(Sample { design: d, prefix, policy, value: if best == 1 { 0.2 } else { -0.1 } });
        }
    }
    for _ in 0..20 {
        t.train_step(&samples).expect("valid samples");
    }
    t
}

fn outputs(p: &Policy) -> Vec<f32> {
    let mut out = Vec::new();
    for n in [5, 8] {
        let e = p.embed_design(&design(n));
        out.extend_from_slice(e.as_slice());
        for (probs, value) in p.prior_batch(&e, &[vec![], vec![6u8], vec![6, 2], vec![0, 1, 2, 3]]) {
            out.extend_from_slice(&probs);
            out.push(value);
        }
    }
    out
}

#[test]
#[ignore = "writes the fixture; run explicitly to regenerate it"]
fn regenerate_fixture() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("{FIXTURE}.bpk"));
    let meta = fixture_trainer().save(&path).expect("fixture written");
    println!("wrote {} ({} parameters, {})", path.display(), meta.num_params, meta.content_hash);
}

#[test]
fn embedded_model_is_the_trained_fixture() {
    let embedded = abcrl::embedded_policy!("tests/data/learn_tiny_policy").expect("embedded model loads");
    let meta = embedded.meta();
    assert_eq!(meta.config, ModelConfig::tiny());
    assert_eq!(meta.training_designs, ["toy_a", "toy_b"]);
    assert_eq!(meta.train_steps, 20);
    assert!(meta.final_losses.is_some());

    let rebuilt = fixture_trainer().policy();
    let (a, b) = (outputs(&embedded), outputs(&rebuilt));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert!((x - y).abs() <= 1e-5 * (1.0 + y.abs()), "embedded {x} vs rebuilt {y}");
    }
    // The same files read from disk give bit-identical outputs.
    let from_disk = Policy::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("{FIXTURE}.bpk"))).unwrap();
    assert_eq!(outputs(&from_disk), a);
    // And it learned the toy target: on design a, after no move, move 1 is the favourite.
    let e = embedded.embed_design(&design(5));
    let (probs, _) = embedded.prior(&e, &[]);
    let best = (0..NUM_MOVES).max_by(|&i, &j| probs[i].total_cmp(&probs[j])).unwrap();
    assert_eq!(best, 1, "{probs:?}");
}
