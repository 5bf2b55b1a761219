//! The policy/value network: a two-layer GCN over the initial AIG, a small transformer over the
//! recipe prefix, and two heads.
//!
//! ```text
//! features (N×7) ─ GCN(7→h) ─ ReLU ─ GCN(h→o) ─ mean ‖ max over nodes ──► design embedding e (2o)
//!                                                                              │
//! [START] a1 … ak ─ token + position embeddings (+ W·e on START) ─ transformer ─ START output r (d)
//!                                                                              │
//!                                   concat(e, r) ─ Linear ─ LeakyReLU ─┬─ Linear ─ LeakyReLU ─ Linear ─► 7 policy logits
//!                                                                      └─ Linear ─ LeakyReLU ─ Linear ─ tanh ─► value
//! ```
//!
//! This follows ABC-RL's released network (GCN 2 layers, mean‖max readout, concatenation, shared
//! trunk, LeakyReLU heads, tanh value, near-zero last policy layer) with two changes: the frozen
//! 108 M-parameter BERT is replaced by a trained transformer of a few thousand parameters over move
//! tokens, and the GCN propagates over both edge directions (see [`super::features`]). The graph
//! branch runs once per design; the recipe branch runs per search node and is sized to take tens
//! of microseconds.
//!
//! Parameters are initialised from our own seeded generator (not burn's global one), so a model is
//! a pure function of its [`ModelConfig`] and seed, whatever else runs in the process.

use super::features::{Features, NODE_FEATURES};
use burn::module::{Module, ModuleMapper, Param, ParamId};
use burn::nn::transformer::{TransformerEncoder, TransformerEncoderConfig, TransformerEncoderInput};
use burn::nn::{Embedding, EmbeddingConfig, Initializer, Linear, LinearConfig};
use burn::tensor::activation::{leaky_relu, relu, tanh};
use burn::tensor::{Bool, Device, IndexingUpdateOp, Int, Tensor, TensorData};

/// Number of moves (ABC-RL's action set: rf, rfz, rw, rwz, rs, rsz, b).
pub const NUM_MOVES: usize = 7;
/// Token id of the start token that begins every prefix (move tokens are the move ids 0..7).
pub const START_TOKEN: usize = NUM_MOVES;
/// Slope of the LeakyReLUs in the heads (PyTorch's default, as in ABC-RL).
const LEAKY_SLOPE: f64 = 0.01;

/// Sizes of the network. Stored in every model file; a file only loads into the same sizes.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ModelConfig {
    /// Width of the first GCN layer.
    pub gcn_hidden: usize,
    /// Width of the second GCN layer; the design embedding has twice this size (mean ‖ max).
    pub gcn_out: usize,
    /// Width of the recipe transformer.
    pub d_model: usize,
    /// Attention heads (must divide `d_model`).
    pub n_heads: usize,
    /// Transformer layers.
    pub n_layers: usize,
    /// Width of the transformer's feed-forward layer.
    pub d_ff: usize,
    /// Longest prefix the position table covers; longer prefixes keep their last `max_prefix` moves.
    pub max_prefix: usize,
    /// Width of the heads' hidden layers.
    pub head_hidden: usize,
}

impl Default for ModelConfig {
    /// The standard sizes: GCN 7→64→32 (64-d embedding), transformer d=32, 4 heads, 1 layer.
    fn default() -> ModelConfig {
        ModelConfig {
            gcn_hidden: 64,
            gcn_out: 32,
            d_model: 32,
            n_heads: 4,
            n_layers: 1,
            d_ff: 64,
            max_prefix: 19,
            head_hidden: 64,
        }
    }
}

impl ModelConfig {
    /// Tiny sizes for tests.
    pub fn tiny() -> ModelConfig {
        ModelConfig {
            gcn_hidden: 8,
            gcn_out: 4,
            d_model: 8,
            n_heads: 2,
            n_layers: 1,
            d_ff: 8,
            max_prefix: 12,
            head_hidden: 8,
        }
    }

    /// Size of the design embedding (`2 · gcn_out`).
    pub fn embedding_dim(&self) -> usize {
        2 * self.gcn_out
    }

    /// Checks that the sizes make a network; the message says which size is wrong.
    pub fn validate(&self) -> Result<(), String> {
        let sizes = [
            ("gcn_hidden", self.gcn_hidden),
            ("gcn_out", self.gcn_out),
            ("d_model", self.d_model),
            ("n_heads", self.n_heads),
            ("n_layers", self.n_layers),
            ("d_ff", self.d_ff),
            ("max_prefix", self.max_prefix),
            ("head_hidden", self.head_hidden),
        ];
        if let Some((name, _)) = sizes.iter().find(|(_, v)| *v == 0 || *v > 4096) {
            return Err(format!("{name} must be in 1..=4096"));
        }
        if !self.d_model.is_multiple_of(self.n_heads) {
            return Err(format!("d_model {} is not a multiple of n_heads {}", self.d_model, self.n_heads));
        }
        Ok(())
    }
}

/// One GCN layer `Â·H·W + b`, with the propagation done at the narrower of the two widths.
#[derive(Module, Debug)]
pub struct GcnLayer {
    /// Weight `[d_in, d_out]`.
    pub weight: Param<Tensor<2>>,
    /// Bias `[d_out]`, added after propagation (as PyG's `GCNConv`).
    pub bias: Param<Tensor<1>>,
}

impl GcnLayer {
    fn new(d_in: usize, d_out: usize, device: &Device) -> GcnLayer {
        GcnLayer {
            weight: Initializer::Zeros.init([d_in, d_out], device),
            bias: Initializer::Zeros.init([d_out], device),
        }
    }

    /// Applies the layer to node states `h` (`[N, d_in]` → `[N, d_out]`).
    pub fn forward(&self, h: Tensor<2>, graph: &GraphTensors) -> Tensor<2> {
        let weight = self.weight.val();
        let [d_in, d_out] = weight.dims();
        let out = if d_in <= d_out { graph.propagate(h).matmul(weight) } else { graph.propagate(h.matmul(weight)) };
        out + self.bias.val().unsqueeze_dim(0)
    }
}

/// A design's [`Features`] as tensors on one device (built once per design and device).
#[derive(Clone, Debug)]
pub struct GraphTensors {
    /// Node features `[N, NODE_FEATURES]`.
    pub x: Tensor<2>,
    /// Message sources: every edge's source, then every edge's destination (`2E`).
    msg_src: Tensor<1, Int>,
    /// Message destinations: every edge's destination, then every edge's source.
    msg_dst: Tensor<1, Int>,
    /// `D^-½` as a column `[N, 1]`.
    norm: Tensor<2>,
    num_nodes: usize,
}

impl GraphTensors {
    /// Uploads `features` to `device`.
    pub fn new(features: &Features, device: &Device) -> GraphTensors {
        let n = features.num_nodes;
        let ints = |a: &[u32], b: &[u32]| {
            let v: Vec<i64> = a.iter().chain(b).map(|&i| i as i64).collect();
            let m = v.len();
            Tensor::<1, Int>::from_data(TensorData::new(v, [m]), device)
        };
        GraphTensors {
            x: Tensor::from_data(TensorData::new(features.x.clone(), [n, NODE_FEATURES]), device),
            msg_src: ints(&features.edge_src, &features.edge_dst),
            msg_dst: ints(&features.edge_dst, &features.edge_src),
            norm: Tensor::from_data(TensorData::new(features.norm.clone(), [n, 1]), device),
            num_nodes: n,
        }
    }

    /// Number of nodes.
    pub fn num_nodes(&self) -> usize {
        self.num_nodes
    }

    /// `Â·h = D^-½ ((S + Sᵀ)·g + g)` with `g = D^-½ h`: the row scalings are `[N, F]` products, and
    /// the edges one gather of source rows and one scatter-add into destination rows.
    pub fn propagate(&self, h: Tensor<2>) -> Tensor<2> {
        let [n, f] = h.dims();
        let g = h * self.norm.clone();
        let messages = g.clone().select(0, self.msg_src.clone());
        let aggregated = Tensor::zeros([n, f], &self.norm.device()).select_assign(
            0,
            self.msg_dst.clone(),
            messages,
            IndexingUpdateOp::Add,
        );
        (aggregated + g) * self.norm.clone()
    }
}

/// A batch of recipe prefixes as token tensors.
#[derive(Clone, Debug)]
pub struct PrefixBatch {
    /// Tokens `[B, L]`: START, then the moves, then padding.
    pub tokens: Tensor<2, Int>,
    /// Padding mask `[B, L]` (true = padding), absent when no prefix is padded.
    pub mask: Option<Tensor<2, Bool>>,
}

impl PrefixBatch {
    /// Tokenises `prefixes` (move ids `0..7`; longer than `max_prefix` keeps the last moves).
    ///
    /// # Panics
    /// If a move id is not below [`NUM_MOVES`] (a programming error in the caller).
    pub fn new<P: AsRef<[u8]>>(prefixes: &[P], max_prefix: usize, device: &Device) -> PrefixBatch {
        let clip = |p: &[u8]| -> usize { p.len().saturating_sub(max_prefix) };
        let len = 1 + prefixes.iter().map(|p| p.as_ref().len() - clip(p.as_ref())).max().unwrap_or(0);
        let b = prefixes.len();
        let mut tokens = vec![0i64; b * len];
        let mut mask = vec![false; b * len];
        let mut padded = false;
        for (i, p) in prefixes.iter().enumerate() {
            let p = p.as_ref();
            let p = &p[clip(p)..];
            let row = &mut tokens[i * len..(i + 1) * len];
            row[0] = START_TOKEN as i64;
            for (t, &m) in row[1..].iter_mut().zip(p) {
                assert!((m as usize) < NUM_MOVES, "move id {m} out of range 0..{NUM_MOVES}");
                *t = m as i64;
            }
            for k in 1 + p.len()..len {
                mask[i * len + k] = true;
                padded = true;
            }
        }
        PrefixBatch {
            tokens: Tensor::from_data(TensorData::new(tokens, [b, len]), device),
            mask: padded.then(|| Tensor::from_data(TensorData::new(mask, [b, len]), device)),
        }
    }
}

/// The network (see the module documentation).
#[derive(Module, Debug)]
pub struct PolicyNet {
    /// First GCN layer.
    pub gcn1: GcnLayer,
    /// Second GCN layer.
    pub gcn2: GcnLayer,
    /// Move and START token embeddings `[8, d_model]`.
    pub tok_embedding: Embedding,
    /// Learned positional embeddings `[max_prefix + 1, d_model]`.
    pub pos_embedding: Embedding,
    /// Projection of the design embedding added to the START token.
    pub design_token: Linear,
    /// Transformer over the prefix.
    pub encoder: TransformerEncoder,
    /// Shared trunk over `concat(design, recipe)`.
    pub trunk: Linear,
    /// Policy head, hidden layer.
    pub policy_hidden: Linear,
    /// Policy head, output layer (7 logits).
    pub policy_out: Linear,
    /// Value head, hidden layer.
    pub value_hidden: Linear,
    /// Value head, output layer.
    pub value_out: Linear,
}

impl PolicyNet {
    /// A freshly initialised network on `device`; the same `(config, seed)` always gives the same
    /// parameters.
    ///
    /// # Panics
    /// If `config` does not [validate](ModelConfig::validate) (callers loading files check first).
    pub fn new(config: &ModelConfig, seed: u64, device: &Device) -> PolicyNet {
        if let Err(e) = config.validate() {
            panic!("invalid model config: {e}");
        }
        let linear = |i: usize, o: usize| LinearConfig::new(i, o).with_initializer(Initializer::Zeros).init(device);
        let e = config.embedding_dim();
        let net = PolicyNet {
            gcn1: GcnLayer::new(NODE_FEATURES, config.gcn_hidden, device),
            gcn2: GcnLayer::new(config.gcn_hidden, config.gcn_out, device),
            tok_embedding: EmbeddingConfig::new(NUM_MOVES + 1, config.d_model)
                .with_initializer(Initializer::Zeros)
                .init(device),
            pos_embedding: EmbeddingConfig::new(config.max_prefix + 1, config.d_model)
                .with_initializer(Initializer::Zeros)
                .init(device),
            design_token: linear(e, config.d_model),
            encoder: TransformerEncoderConfig::new(config.d_model, config.d_ff, config.n_heads, config.n_layers)
                .with_dropout(0.0)
                .with_initializer(Initializer::Zeros)
                .init(device),
            trunk: linear(e + config.d_model, config.head_hidden),
            policy_hidden: linear(config.head_hidden, config.head_hidden),
            policy_out: linear(config.head_hidden, NUM_MOVES),
            value_hidden: linear(config.head_hidden, config.head_hidden),
            value_out: linear(config.head_hidden, 1),
        };
        net.map(&mut SeededInit { seed, path: Vec::new(), next_id: 1 })
    }

    /// The design embedding `[1, 2·gcn_out]` (mean ‖ max over nodes after the second GCN layer).
    pub fn embed(&self, graph: &GraphTensors) -> Tensor<2> {
        let h = relu(self.gcn1.forward(graph.x.clone(), graph));
        let h = self.gcn2.forward(h, graph);
        let f = h.dims()[1];
        // max over nodes as a row-wise max of the transpose: flex's max_dim(0) is ~6× slower.
        let max = h.clone().transpose().max_dim(1).reshape([1, f]);
        Tensor::cat(vec![h.mean_dim(0), max], 1)
    }

    /// Policy logits `[B, 7]` and values `[B, 1]` for design embeddings `[B, E]` and prefixes.
    pub fn heads(&self, design: Tensor<2>, prefixes: &PrefixBatch) -> (Tensor<2>, Tensor<2>) {
        let [b, len] = prefixes.tokens.dims();
        let device = design.device();
        let positions: Vec<i64> = (0..len as i64).collect();
        let positions = Tensor::<2, Int>::from_data(TensorData::new(positions, [1, len]), &device);
        let mut start = vec![0f32; len];
        start[0] = 1.0;
        let start = Tensor::<3>::from_data(TensorData::new(start, [1, len, 1]), &device);
        let design_token = self.design_token.forward(design.clone()).unsqueeze_dim::<3>(1);
        let x = self.tok_embedding.forward(prefixes.tokens.clone())
            + self.pos_embedding.forward(positions)
            + design_token * start;
        let mut input = TransformerEncoderInput::new(x);
        if let Some(mask) = &prefixes.mask {
            input = input.mask_pad(mask.clone());
        }
        let encoded = self.encoder.forward(input);
        let d = encoded.dims()[2];
        let recipe = encoded.slice([0..b, 0..1, 0..d]).reshape([b, d]);
        let z = leaky_relu(self.trunk.forward(Tensor::cat(vec![design, recipe], 1)), LEAKY_SLOPE);
        let logits = self.policy_out.forward(leaky_relu(self.policy_hidden.forward(z.clone()), LEAKY_SLOPE));
        let value = tanh(self.value_out.forward(leaky_relu(self.value_hidden.forward(z), LEAKY_SLOPE)));
        (logits, value)
    }
}

/// Overwrites every parameter with values from a per-parameter SplitMix64 stream seeded by the
/// model seed and the parameter's path, and gives parameters sequential ids (so records are
/// byte-identical across runs).
struct SeededInit {
    seed: u64,
    path: Vec<String>,
    next_id: u64,
}

impl ModuleMapper for SeededInit {
    fn enter_module(&mut self, name: &str, _container_type: &str) {
        self.path.push(name.to_string());
    }

    fn exit_module(&mut self, _name: &str, _container_type: &str) {
        self.path.pop();
    }

    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let path = self.path.join(".");
        let shape = param.lazy_shape();
        let dims = shape.dims::<D>();
        let n = shape.num_elements();
        let mut rng = SplitMix64(self.seed ^ fnv1a64(path.as_bytes()));
        let last = self.path.last().map(String::as_str).unwrap_or("");
        let values: Vec<f32> = if last == "gamma" {
            vec![1.0; n]
        } else if last == "beta" || last == "bias" || D == 1 {
            vec![0.0; n]
        } else if path.contains("embedding") {
            (0..n).map(|_| rng.uniform()).collect()
        } else {
            // Linear weights are [d_in, d_out]: U(-k, k) with k = 1/sqrt(d_in) (PyTorch's default);
            // the last policy layer starts near zero so the first prior is near uniform (ABC-RL).
            let scale = if path.starts_with("policy_out") { 0.01 } else { 1.0 };
            let k = scale / (dims[0] as f32).sqrt();
            (0..n).map(|_| k * rng.uniform()).collect()
        };
        let device = param.lazy_device();
        let tensor = Tensor::<D>::from_data(TensorData::new(values, dims), &device);
        let id = ParamId::from(self.next_id);
        self.next_id += 1;
        param.transform_for_load(tensor, id)
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, seedable, stable across crate versions.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[-1, 1)`.
    fn uniform(&mut self) -> f32 {
        let unit = (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32;
        2.0 * unit - 1.0
    }
}

/// The values of a float tensor (of any rank) in row-major order.
pub(crate) fn to_f32<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data().try_into_vec_as::<f32>().expect("float tensors convert to f32")
}

/// 64-bit FNV-1a.
pub(crate) fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aig::Aig;

    fn tiny_graph() -> Features {
        let mut g = Aig::new();
        let ins: Vec<_> = (0..4).map(|_| g.add_input()).collect();
        let a = g.and(ins[0], !ins[1]);
        let b = g.and(ins[2], ins[3]);
        let c = g.and(!a, b);
        let d = g.and(a, ins[3]);
        g.add_output(c);
        g.add_output(!d);
        Features::from_aig(&g)
    }

    fn values(t: Tensor<2>) -> Vec<f32> {
        to_f32(t)
    }

    #[test]
    fn propagate_matches_dense() {
        let device = Device::flex();
        let f = tiny_graph();
        let g = GraphTensors::new(&f, &device);
        let n = f.num_nodes;
        let h: Vec<f32> = (0..n * 3).map(|i| (i as f32 * 0.37).sin()).collect();
        let out = values(g.propagate(Tensor::from_data(TensorData::new(h.clone(), [n, 3]), &device)));
        let mut expect = vec![0f32; n * 3];
        for (s, d, w) in f.messages() {
            let (s, d) = (s as usize, d as usize);
            for c in 0..3 {
                expect[d * 3 + c] += w * h[s * 3 + c];
            }
        }
        for (a, b) in out.iter().zip(&expect) {
            assert!((a - b).abs() < 1e-6, "{a} vs {b}");
        }
    }

    #[test]
    fn shapes_and_determinism() {
        let device = Device::flex();
        let config = ModelConfig::tiny();
        let net = PolicyNet::new(&config, 7, &device);
        let g = GraphTensors::new(&tiny_graph(), &device);
        let e = net.embed(&g);
        assert_eq!(e.dims(), [1, config.embedding_dim()]);
        let prefixes: [&[u8]; 3] = [&[], &[1, 2, 3], &[6]];
        let batch = PrefixBatch::new(&prefixes, config.max_prefix, &device);
        assert_eq!(batch.tokens.dims(), [3, 4]);
        let (logits, value) = net.heads(e.clone().repeat_dim(0, 3), &batch);
        assert_eq!(logits.dims(), [3, NUM_MOVES]);
        assert_eq!(value.dims(), [3, 1]);
        // Same seed, same parameters and outputs; another seed, other outputs.
        let again = PolicyNet::new(&config, 7, &device);
        assert_eq!(values(e.clone()), values(again.embed(&g)));
        let other = PolicyNet::new(&config, 8, &device);
        assert_ne!(values(e), values(other.embed(&g)));
    }

    #[test]
    fn padding_does_not_change_outputs() {
        let device = Device::flex();
        let config = ModelConfig::tiny();
        let net = PolicyNet::new(&config, 3, &device);
        let e = net.embed(&GraphTensors::new(&tiny_graph(), &device));
        let alone = PrefixBatch::new(&[[4u8, 0]], config.max_prefix, &device);
        let (l1, v1) = net.heads(e.clone(), &alone);
        let mixed: [&[u8]; 2] = [&[4, 0], &[1, 1, 1, 1, 1]];
        let batch = PrefixBatch::new(&mixed, config.max_prefix, &device);
        let (l2, v2) = net.heads(e.repeat_dim(0, 2), &batch);
        let (l1, l2) = (values(l1), values(l2));
        for k in 0..NUM_MOVES {
            assert!((l1[k] - l2[k]).abs() < 1e-5);
        }
        assert!((values(v1)[0] - values(v2)[0]).abs() < 1e-5);
    }

    /// Finite differences against autodiff for entries of both GCN layers' weights and a bias, on
    /// `L = Σ c_j · e_j` over the design embedding `e` (f32, central differences).
    #[test]
    fn gcn_gradient_matches_finite_differences() {
        let device = Device::flex().autodiff();
        let config = ModelConfig::tiny();
        let net = PolicyNet::new(&config, 11, &device);
        let f = tiny_graph();
        let e = config.embedding_dim();
        let c: Vec<f32> = (0..e).map(|j| ((j as f32 + 1.0) * 0.7).cos()).collect();
        let loss_of = |net: &PolicyNet, device: &Device| -> Tensor<1> {
            let g = GraphTensors::new(&f, device);
            let weights = Tensor::<2>::from_data(TensorData::new(c.clone(), [1, e]), device);
            (net.embed(&g) * weights).sum()
        };
        let grads = loss_of(&net, &device).backward();
        let g1 = to_f32(net.gcn1.weight.val().grad(&grads).expect("gcn1 weight has a gradient"));
        let g2 = to_f32(net.gcn2.weight.val().grad(&grads).expect("gcn2 weight has a gradient"));
        let gb = to_f32(net.gcn1.bias.val().grad(&grads).expect("gcn1 bias has a gradient"));
        assert!(g1.iter().any(|g| g.abs() > 1e-3), "the GCN gets a real gradient");

        let plain = Device::flex();
        let base = net.valid();
        let eps = 1e-3f32;
        let fd = |edit: &dyn Fn(PolicyNet, f32) -> PolicyNet| {
            let up = to_f32(loss_of(&edit(base.clone(), eps), &plain))[0];
            let down = to_f32(loss_of(&edit(base.clone(), -eps), &plain))[0];
            (up - down) / (2.0 * eps)
        };
        let bump2 = |t: Tensor<2>, i: usize, d: f32| {
            let [r, cols] = t.dims();
            let mut delta = vec![0f32; r * cols];
            delta[i] = d;
            let device = t.device();
            t + Tensor::from_data(TensorData::new(delta, [r, cols]), &device)
        };
        let mut checked = 0;
        for (layer, grad) in [(1, &g1), (2, &g2)] {
            for i in [0, 3, 9, 14, 21, 30] {
                let numeric = fd(&|mut n: PolicyNet, d| {
                    if layer == 1 {
                        n.gcn1.weight = n.gcn1.weight.map(|w| bump2(w, i, d));
                    } else {
                        n.gcn2.weight = n.gcn2.weight.map(|w| bump2(w, i, d));
                    }
                    n
                });
                assert!(
                    (numeric - grad[i]).abs() <= 2e-3 + 0.02 * grad[i].abs(),
                    "gcn{layer} weight[{i}]: finite difference {numeric} vs autodiff {}",
                    grad[i]
                );
                checked += 1;
            }
        }
        for i in [0, 5] {
            let numeric = fd(&|mut n: PolicyNet, d| {
                n.gcn1.bias = n.gcn1.bias.map(|b| {
                    let mut delta = vec![0f32; b.dims()[0]];
                    delta[i] = d;
                    let device = b.device();
                    let k = delta.len();
                    b + Tensor::from_data(TensorData::new(delta, [k]), &device)
                });
                n
            });
            assert!((numeric - gb[i]).abs() <= 2e-3 + 0.02 * gb[i].abs(), "gcn1 bias[{i}]: {numeric} vs {}", gb[i]);
            checked += 1;
        }
        assert_eq!(checked, 14);
    }

    #[test]
    fn long_prefixes_keep_their_last_moves() {
        let device = Device::flex();
        let long: Vec<u8> = (0..30).map(|i| (i % 7) as u8).collect();
        let b = PrefixBatch::new(std::slice::from_ref(&long), 12, &device);
        let t: Vec<i64> = b.tokens.into_data().try_into_vec_as::<i64>().unwrap();
        assert_eq!(t.len(), 13);
        assert_eq!(t[0], START_TOKEN as i64);
        let tail: Vec<i64> = long[18..].iter().map(|&m| m as i64).collect();
        assert_eq!(&t[1..], &tail[..]);
    }
}
