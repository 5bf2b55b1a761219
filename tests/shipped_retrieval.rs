//! The shipped model and retrieval index behave as the retrieval issue asks: a training design is
//! its own nearest neighbour with δ ≈ 0 and α ≈ 1, and designs unlike the training set (a
//! router, a decoder, a voter) get α near 0. A re-trained model or re-tuned schedule that broke
//! this would fail here. Builds without a shipped model have nothing to check.

use abcrl::retrieve::Retrieval;
use std::path::Path;

fn retrieve(design: &str) -> Option<Retrieval> {
    let policy = abcrl::learn::shipped::shipped_policy()?.expect("the shipped model loads");
    let index = abcrl::retrieve::shipped::shipped_index(&policy.meta().content_hash)?.expect("the shipped index loads");
    let aig = abcrl::aig::io::read_file(Path::new(&format!("{}/aig/{design}.aig", env!("CARGO_MANIFEST_DIR"))))
        .expect("corpus design");
    let embedding = policy.embed_design(&aig);
    let params = index.alpha_params();
    let neighbors = index.nearest(embedding.as_slice(), params.k.max(1)).expect("retrieval");
    Some(Retrieval::from_neighbors(neighbors, params))
}

#[test]
fn training_designs_are_familiar() {
    for design in ["mcnc/alu2", "mcnc/i7", "epfl/ctrl", "epfl/int2float"] {
        let Some(r) = retrieve(design) else { return };
        assert_eq!(r.neighbors[0].name, design);
        assert!(r.delta < 1e-4, "{design}: δ {}", r.delta);
        assert!(r.alpha > 0.99, "{design}: α {}", r.alpha);
    }
}

#[test]
fn unlike_designs_get_alpha_near_zero() {
    for design in ["epfl/router", "epfl/dec", "epfl/voter"] {
        let Some(r) = retrieve(design) else { return };
        assert!(r.alpha < 0.05, "{design}: α {} (δ {}, nearest {})", r.alpha, r.delta, r.neighbors[0].name);
    }
}
