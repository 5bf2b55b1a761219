//! The generator of the structure library (run by `examples/gen_rewrite_library.rs`).
//!
//! # Method
//! 1. **Exhaustive enumeration** ([`super::enumerate`]) of every functionally reduced AIG DAG with
//!    up to [`GenParams::dfs_gates`] ANDs, by increasing size. Each DAG's root function is mapped
//!    to its NPN class and the DAG is relabelled onto the canonical function. The first size at
//!    which a class appears is its proved minimum. Per class the generator keeps three kinds of
//!    candidates: minimum-size DAGs, DAGs with one AND more and no more depth, and DAGs that
//!    reach a depth below every smaller DAG of the class (the size/depth frontier).
//! 2. **Decomposition**: for every class and both output polarities, every split of the
//!    canonical function `c = u & v` (or `!c = u & v`) into two functions of known cost is tried
//!    by merging known structures of `u` and `v` with functional hashing (a node whose function
//!    already exists is shared). This finds structures for the classes beyond the enumeration,
//!    and larger, shallower or differently shaped alternatives for all classes. It runs in rounds
//!    so that new structures seed the next round.
//! 3. **SAT-based exact synthesis** ([`super::exact`]) fills the gap for classes whose best
//!    structure is above the enumeration's lower bound: sizes from the lower bound up are tried
//!    with a conflict budget. A size proved UNSAT raises the proved lower bound; a budget-out
//!    leaves the minimum unproved ([`super::RewriteLibrary::min_proved`]).
//! 4. **Closure**: every candidate is closed under the automorphisms of its canonical function
//!    (input transforms that leave it unchanged), since enumeration produces one DAG per input
//!    symmetry orbit. Candidates are deduplicated by a canonical form (the set of their nodes,
//!    each named by its function and its fanins' functions).
//! 5. **Selection**, per class: minimum-size structures, then frontier structures (fewer levels
//!    for more ANDs), then one-more-AND structures, each group chosen greedily for the most
//!    sub-functions (internal node functions) not covered by structures already chosen, which
//!    maximises the chances of sharing with existing logic during rewriting. The list is sorted
//!    by (ANDs, depth).
//!
//! Candidate pools are bounded: when a bucket has more DAGs than [`GenParams::pool`], the
//! generator keeps those with the smallest hash, a deterministic uniform sample. The whole
//! generation is deterministic (parallel parts merge order-independently).

use super::enumerate::for_each_dag_filtered;
use super::exact::{Gate, Query, Synthesis, VARS4, synthesize};
use super::{RewriteLibrary, Structure, UNUSED_LEAF};
use crate::opt::graph::{DecGraph, GLit};
use crate::opt::npn::{self, NUM_CLASSES, NpnTransform, PERMS4};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

/// Generator parameters. `Default` gives the settings of the checked-in library.
#[derive(Clone, Debug)]
pub struct GenParams {
    /// Enumerate all DAGs up to this many ANDs exhaustively (7: seconds; 8: minutes).
    pub dfs_gates: usize,
    /// At most this many structures per class.
    pub max_per_class: usize,
    /// At most this many minimum-size structures per class.
    pub max_min_size: usize,
    /// At most this many structures per frontier depth (fewer ANDs than those would need more
    /// depth).
    pub max_per_depth: usize,
    /// At most this many structures with one AND more than the minimum.
    pub max_plus_one: usize,
    /// Candidate DAGs kept per (class, bucket) before closure.
    pub pool: usize,
    /// Decomposition: structures per function used as building blocks.
    pub seeds: usize,
    /// Decomposition: number of rounds.
    pub rounds: usize,
    /// Decomposition and SAT: alternatives up to this many ANDs above the minimum when they
    /// lower the depth.
    pub depth_extra: usize,
    /// SAT: at most this many minimum-size chains per class.
    pub sat_chains: usize,
    /// SAT: conflict limit per solver call (a size whose query hits it is skipped, and the
    /// minimum is reported unproved).
    pub sat_conflicts: Option<i32>,
    /// Print progress to stderr.
    pub verbose: bool,
    /// Cache file for the enumeration's candidate pools: read if it exists and was made with the
    /// same `dfs_gates` and `pool`, else written after the enumeration. The result does not
    /// depend on it (the pools are deterministic); it saves the enumeration when tuning the later
    /// phases.
    pub cache: Option<std::path::PathBuf>,
}

impl Default for GenParams {
    fn default() -> GenParams {
        GenParams {
            dfs_gates: 8,
            max_per_class: 40,
            max_min_size: 24,
            max_per_depth: 4,
            max_plus_one: 10,
            pool: 3000,
            seeds: 6,
            rounds: 1,
            depth_extra: 3,
            sat_chains: 200,
            sat_conflicts: Some(1_000_000),
            verbose: false,
            cache: None,
        }
    }
}

/// Per-class facts gathered during generation.
#[derive(Clone, Debug, Default)]
pub struct ClassReport {
    /// Minimum number of ANDs found.
    pub min_ands: usize,
    /// Whether it is proved minimum.
    pub proved: bool,
    /// How the minimum was found: "enumeration", "decomposition" or "sat".
    pub source: &'static str,
    /// Minimum depth among minimum-size structures.
    pub min_size_depth: usize,
    /// The (ANDs, depth) frontier points found: for each depth, the fewest ANDs.
    pub frontier: Vec<(usize, usize)>,
    /// Candidates after closure and deduplication.
    pub candidates: usize,
    /// Structures selected.
    pub selected: usize,
}

/// The generator's output.
#[derive(Clone, Debug)]
pub struct Generated {
    /// The library.
    pub library: RewriteLibrary,
    /// Per-class report.
    pub classes: Vec<ClassReport>,
    /// Wall-clock seconds spent.
    pub seconds: f64,
}

/// Per-class state across the phases.
#[derive(Default)]
struct ClassData {
    /// Proved lower bound on the minimum size.
    lower: usize,
    /// Candidates (closed under automorphisms, deduplicated).
    cands: CandSet,
    source: &'static str,
}

impl ClassData {
    fn best(&self) -> Option<usize> {
        self.cands.list.iter().map(|c| c.size).min()
    }
}

/// Generates the library (see the module documentation).
pub fn generate(params: &GenParams) -> Generated {
    let start = Instant::now();
    let auts = automorphisms();
    let mut pools: Vec<ClassPools> = (0..NUM_CLASSES).map(|_| ClassPools::default()).collect();

    // Classes 0 (constant) and the single-variable class have 0-AND structures.
    for (k, pool) in pools.iter_mut().enumerate() {
        let c = npn::class_truth(k);
        if npn::support_size(c) <= 1 {
            let mut g = DecGraph::new(4);
            g.root = if c == 0 { GLit::CONST_FALSE } else { single_var_lit(c) };
            pool.min = Some(0);
            pool.min_depth = Some(0);
            pool.best_depth = Some(0);
            pool.insert(Bucket::Min, 0, g, params.pool);
        }
    }

    // 1. Exhaustive enumeration, by increasing size.
    let cached = params.cache.as_ref().and_then(|path| load_pools(path, params));
    let from_cache = cached.is_some();
    if let Some(c) = cached {
        pools = c;
        if params.verbose {
            eprintln!("enumeration pools read from the cache");
        }
    }
    for n in 1..=params.dfs_gates {
        if from_cache {
            break;
        }
        let t = Instant::now();
        let state: Vec<ClassState> = pools.iter().map(ClassPools::state).collect();
        let found = enumerate_size(n, &state, params.pool);
        let mut newly = 0;
        for (k, f) in found.into_iter().enumerate() {
            newly += usize::from(pools[k].merge_found(n, f, params.pool));
        }
        if params.verbose {
            eprintln!("enumerated {n} ANDs: {newly} classes reach their minimum ({:.1}s)", t.elapsed().as_secs_f64());
        }
    }
    if let (Some(path), false) = (&params.cache, from_cache) {
        let _ = std::fs::write(path, save_pools(&pools, params));
    }
    let mut data: Vec<ClassData> = pools
        .into_par_iter()
        .enumerate()
        .map(|(k, pool)| {
            let mut d = ClassData { lower: params.dfs_gates + 1, ..ClassData::default() };
            if let Some(m) = pool.min {
                d.lower = m;
                d.source = "enumeration";
            }
            for (_, p) in pool.pools {
                for g in p.items.into_values() {
                    d.cands.add_closed(&g, &auts[k]);
                }
            }
            d
        })
        .collect();

    // 2. Decomposition rounds.
    for round in 0..params.rounds {
        let t = Instant::now();
        let costs: Vec<Option<usize>> = data.iter().map(ClassData::best).collect();
        let seeds: Vec<Vec<DecGraph>> = data
            .par_iter()
            .enumerate()
            .map(|(k, d)| {
                if d.cands.list.is_empty() {
                    return Vec::new();
                }
                let sel = select(k, &d.cands, costs[k].unwrap_or(0), &seed_params(params));
                sel.into_iter().map(|i| d.cands.list[i].graph.clone()).collect()
            })
            .collect();
        let goals: Vec<Option<usize>> = data.iter().map(|d| decompose_goal(d, params)).collect();
        let found: Vec<Vec<DecGraph>> = (0..NUM_CLASSES)
            .into_par_iter()
            .map(|k| match goals[k] {
                Some(max_depth) => decompose(k, max_depth, &seeds, &costs, params),
                None => Vec::new(),
            })
            .collect();
        let mut improved = 0;
        for (k, graphs) in found.into_iter().enumerate() {
            let before = data[k].best();
            for g in &graphs {
                data[k].cands.add_closed(g, &auts[k]);
            }
            if data[k].best() < before || (before.is_none() && data[k].best().is_some()) {
                improved += 1;
                data[k].source = "decomposition";
            }
        }
        if params.verbose {
            eprintln!("decomposition round {round}: {improved} classes improved ({:.1}s)", t.elapsed().as_secs_f64());
        }
    }

    // 3. SAT between the proved lower bound and the best structure found.
    let t = Instant::now();
    let mut proved = vec![false; NUM_CLASSES];
    let sat: Vec<(usize, Vec<DecGraph>, bool)> = data
        .par_iter()
        .enumerate()
        .map(|(k, d)| sat_gap(k, d.lower, d.best().expect("every class has a structure"), params))
        .collect();
    for (k, (lower, graphs, sat_found)) in sat.into_iter().enumerate() {
        data[k].lower = lower;
        for g in &graphs {
            data[k].cands.add_closed(g, &auts[k]);
        }
        if sat_found {
            data[k].source = "sat";
        }
        proved[k] = data[k].best() == Some(lower);
    }
    if params.verbose {
        eprintln!("SAT phase: {:.1}s", t.elapsed().as_secs_f64());
    }

    // 4. Selection.
    let mut classes = Vec::with_capacity(NUM_CLASSES);
    let mut reports = Vec::with_capacity(NUM_CLASSES);
    let mut min_ands = Vec::with_capacity(NUM_CLASSES);
    for (k, d) in data.into_iter().enumerate() {
        let min = d.best().expect("every class has a structure");
        let chosen = select(k, &d.cands, min, params);
        let mut list: Vec<Structure> = chosen.iter().map(|&i| Structure::new(d.cands.list[i].graph.clone())).collect();
        list.sort_by_key(|s| (s.num_ands, s.depth));
        let min_size_depth = d.cands.list.iter().filter(|c| c.size == min).map(|c| c.depth).min().unwrap_or(0);
        reports.push(ClassReport {
            min_ands: min,
            proved: proved[k],
            source: d.source,
            min_size_depth,
            frontier: frontier_points(&d.cands),
            candidates: d.cands.list.len(),
            selected: list.len(),
        });
        min_ands.push(min as u8);
        classes.push(list);
    }
    let library = RewriteLibrary::from_classes(classes, min_ands, proved).expect("generated structures are checked");
    Generated { library, classes: reports, seconds: start.elapsed().as_secs_f64() }
}

fn graph_to_words(g: &DecGraph) -> String {
    let mut s = g.root.0.to_string();
    for [a, b] in &g.nodes {
        s.push_str(&format!(" {} {}", a.0, b.0));
    }
    s
}

fn words_to_graph(words: &[&str]) -> Option<DecGraph> {
    let lits: Vec<GLit> = words.iter().map(|w| w.parse().ok().map(GLit)).collect::<Option<_>>()?;
    let (root, rest) = lits.split_first()?;
    if rest.len() % 2 != 0 {
        return None;
    }
    let mut g = DecGraph::new(4);
    g.root = *root;
    g.nodes = rest.chunks(2).map(|p| [p[0], p[1]]).collect();
    Some(g)
}

/// Serialises the enumeration pools (see [`GenParams::cache`]).
fn save_pools(pools: &[ClassPools], params: &GenParams) -> String {
    let opt = |x: Option<usize>| x.map_or("-".to_string(), |v| v.to_string());
    let mut s = format!("pools dfs {} pool {}\n", params.dfs_gates, params.pool);
    for (k, p) in pools.iter().enumerate() {
        s.push_str(&format!("class {k} {} {} {}\n", opt(p.min), opt(p.min_depth), opt(p.best_depth)));
        for (&(bucket, size), pool) in &p.pools {
            for (h, g) in &pool.items {
                s.push_str(&format!("p {} {size} {h} {}\n", bucket as u8, graph_to_words(g)));
            }
        }
    }
    s
}

/// Reads pools written by [`save_pools`] with the same parameters; `None` if absent or stale.
fn load_pools(path: &std::path::Path, params: &GenParams) -> Option<Vec<ClassPools>> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    if lines.next()? != format!("pools dfs {} pool {}", params.dfs_gates, params.pool) {
        return None;
    }
    let opt = |w: &str| if w == "-" { Some(None) } else { w.parse().ok().map(Some) };
    let mut pools: Vec<ClassPools> = Vec::with_capacity(NUM_CLASSES);
    for line in lines {
        let w: Vec<&str> = line.split_whitespace().collect();
        match w.first().copied()? {
            "class" if w.len() == 5 => pools.push(ClassPools {
                min: opt(w[2])?,
                min_depth: opt(w[3])?,
                best_depth: opt(w[4])?,
                pools: BTreeMap::new(),
            }),
            "p" if w.len() >= 5 => {
                let bucket = match w[1] {
                    "0" => Bucket::Min,
                    "1" => Bucket::PlusOne,
                    "2" => Bucket::Depth,
                    _ => return None,
                };
                let size: usize = w[2].parse().ok()?;
                let h: u64 = w[3].parse().ok()?;
                let g = words_to_graph(&w[4..])?;
                pools.last_mut()?.pools.entry((bucket, size)).or_default().items.insert(h, g);
            }
            _ => return None,
        }
    }
    (pools.len() == NUM_CLASSES).then_some(pools)
}

/// Smaller selection used for decomposition seeds.
fn seed_params(p: &GenParams) -> GenParams {
    GenParams {
        max_per_class: p.seeds,
        max_min_size: p.seeds.div_ceil(2),
        max_per_depth: 1,
        max_plus_one: 0,
        ..p.clone()
    }
}

/// The literal of the single variable of a 1-support canonical function.
fn single_var_lit(c: u16) -> GLit {
    for (i, &v) in VARS4.iter().enumerate() {
        if c == v {
            return GLit::new(i, false);
        }
        if c == !v {
            return GLit::new(i, true);
        }
    }
    unreachable!("not a single-variable function")
}

/// All transforms `A` with `A.apply(c) == c`, per class.
fn automorphisms() -> Vec<Vec<NpnTransform>> {
    (0..NUM_CLASSES)
        .map(|k| {
            let c = npn::class_truth(k);
            let mut v = Vec::new();
            for out in [false, true] {
                for perm in PERMS4 {
                    for neg in 0..16 {
                        let tr = NpnTransform { perm, neg, out };
                        if tr.apply(c) == c {
                            v.push(tr);
                        }
                    }
                }
            }
            v
        })
        .collect()
}

/// Which candidates a DAG is for.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Bucket {
    /// Minimum size.
    Min,
    /// Minimum size + 1, depth at most the best minimum-size depth.
    PlusOne,
    /// Lower depth than every smaller structure.
    Depth,
}

impl Bucket {
    /// The pool size of this bucket: `pool` for minimum-size DAGs, a quarter for the others.
    fn cap(self, pool: usize) -> usize {
        if self == Bucket::Min { pool } else { pool / 4 }
    }
}

/// A bounded sample of candidate DAGs: the `cap` smallest hashes.
#[derive(Clone, Debug, Default)]
struct Pool {
    items: BTreeMap<u64, DecGraph>,
}

impl Pool {
    fn insert(&mut self, hash: u64, g: DecGraph, cap: usize) {
        if self.items.len() >= cap {
            match self.items.last_key_value() {
                Some((&max, _)) if hash < max => {}
                _ => return,
            }
        }
        self.items.entry(hash).or_insert(g);
        if self.items.len() > cap {
            self.items.pop_last();
        }
    }

    fn merge(&mut self, other: Pool, cap: usize) {
        for (h, g) in other.items {
            self.insert(h, g, cap);
        }
    }
}

/// Read-only per-class facts used as filters while enumerating one size.
#[derive(Copy, Clone, Debug)]
struct ClassState {
    min: Option<usize>,
    /// Best depth among minimum-size DAGs.
    min_depth: Option<usize>,
    /// Best depth among all DAGs found so far (smaller sizes).
    best_depth: Option<usize>,
}

/// What one size's enumeration found for a class.
#[derive(Clone, Debug, Default)]
struct Found {
    /// Best depth seen at this size.
    depth: Option<usize>,
    pools: BTreeMap<Bucket, Pool>,
}

impl Found {
    fn merge(&mut self, other: Found, cap: usize) {
        self.depth = match (self.depth, other.depth) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        for (b, p) in other.pools {
            self.pools.entry(b).or_default().merge(p, b.cap(cap));
        }
    }
}

/// All candidates of a class, by (bucket, size).
#[derive(Clone, Debug, Default)]
struct ClassPools {
    min: Option<usize>,
    min_depth: Option<usize>,
    best_depth: Option<usize>,
    pools: BTreeMap<(Bucket, usize), Pool>,
}

impl ClassPools {
    fn state(&self) -> ClassState {
        ClassState { min: self.min, min_depth: self.min_depth, best_depth: self.best_depth }
    }

    fn insert(&mut self, bucket: Bucket, size: usize, g: DecGraph, cap: usize) {
        let h = graph_hash(&g);
        self.pools.entry((bucket, size)).or_default().insert(h, g, cap);
    }

    /// Merges one size's findings; returns true if the class reached its minimum at this size.
    fn merge_found(&mut self, n: usize, f: Found, cap: usize) -> bool {
        let Some(depth) = f.depth else { return false };
        let newly = self.min.is_none();
        if newly {
            self.min = Some(n);
            self.min_depth = Some(depth);
        }
        self.best_depth = Some(self.best_depth.map_or(depth, |b| b.min(depth)));
        for (b, p) in f.pools {
            self.pools.entry((b, n)).or_default().merge(p, b.cap(cap));
        }
        newly
    }
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn graph_hash(g: &DecGraph) -> u64 {
    let mut h = splitmix(g.root.0 as u64);
    for [a, b] in &g.nodes {
        h = splitmix(h ^ ((a.0 as u64) << 16 | b.0 as u64));
    }
    h
}

/// Converts a chain of normal gates into a graph whose root is the last gate.
fn chain_graph(gates: &[Gate]) -> DecGraph {
    let mut g = DecGraph::new(4);
    let mut sig: Vec<GLit> = (0..4).map(|i| GLit::new(i, false)).collect();
    for gate in gates {
        let (a, b) = (sig[gate.a as usize], sig[gate.b as usize]);
        let lit = match gate.op {
            0 => g.and(a, b),
            1 => g.and(a, !b),
            2 => g.and(!a, b),
            _ => !g.and(!a, !b),
        };
        sig.push(lit);
    }
    g.root = *sig.last().expect("chain has gates");
    g
}

/// Depth of a chain (levels of its gates).
fn chain_depth(gates: &[Gate]) -> usize {
    let mut lev = [0u8; 32];
    for (i, g) in gates.iter().enumerate() {
        lev[4 + i] = 1 + lev[g.a as usize].max(lev[g.b as usize]);
    }
    lev[3 + gates.len()] as usize
}

/// Enumerates all DAGs of `n` ANDs (in parallel) and collects per-class findings.
fn enumerate_size(n: usize, state: &[ClassState], cap: usize) -> Vec<Found> {
    // Split the work on the first two gates after the fixed first one: collect the prefixes.
    let visit_dag = |gates: &[Gate], signals: &[u16], found: &mut Vec<Found>| {
        let f = *signals.last().expect("gates");
        let cls = npn::npn4(f);
        let k = cls.class as usize;
        let st = state[k];
        let depth = chain_depth(gates);
        let fk = &mut found[k];
        fk.depth = Some(fk.depth.map_or(depth, |d| d.min(depth)));
        let bucket = match st.min {
            None => Bucket::Min,
            Some(m) if m == n => Bucket::Min,
            Some(m) if m + 1 == n => {
                if depth > st.min_depth.unwrap_or(0) {
                    return;
                }
                Bucket::PlusOne
            }
            Some(_) => {
                if depth >= st.best_depth.unwrap_or(0) {
                    return;
                }
                Bucket::Depth
            }
        };
        let mut h = 0u64;
        for g in gates {
            h = splitmix(h ^ ((g.a as u64) << 16 | (g.b as u64) << 8 | g.op as u64));
        }
        let cap = bucket.cap(cap);
        let pool = fk.pools.entry(bucket).or_default();
        if pool.items.len() >= cap && pool.items.last_key_value().is_some_and(|(&m, _)| h >= m) {
            return;
        }
        // Relabel onto the canonical function: f = T(canon), so T^-1 maps the DAG to canon.
        let g = cls.transform.inverse().apply_to_graph(&chain_graph(gates));
        pool.insert(h, g, cap);
    };
    // Work split: prefixes of a few gates, dealt round-robin to many more parts than threads.
    let parts = 16 * rayon::current_num_threads().max(4);
    let prefix_len = if n >= 9 { 4 } else { 3 }.min(n);
    let empty = || -> Vec<Found> { (0..NUM_CLASSES).map(|_| Found::default()).collect() };
    (0..parts)
        .into_par_iter()
        .map(|part| {
            let mut found = empty();
            let mut index = 0usize;
            let mut own = |_: &[Gate]| {
                let mine = index % parts == part;
                index += 1;
                mine
            };
            let mut visit = |gates: &[Gate], signals: &[u16]| visit_dag(gates, signals, &mut found);
            for_each_dag_filtered(n, prefix_len, &mut own, &mut visit);
            found
        })
        .reduce(empty, |mut a, b| {
            for (k, f) in b.into_iter().enumerate() {
                a[k].merge(f, cap);
            }
            a
        })
}

/// The canonical form of a candidate.
struct Cand {
    key: Vec<u64>,
    graph: DecGraph,
    size: usize,
    depth: usize,
    leaf_depth_sum: usize,
    /// Normalised functions of the internal (non-root) nodes.
    subfns: Vec<u16>,
}

/// Canonicalises a graph over 4 leaves (no constants, all nodes used, functionally reduced).
fn canonicalize(g: &DecGraph) -> Cand {
    let n = g.nodes.len();
    if n == 0 {
        return Cand {
            key: vec![g.root.0 as u64],
            graph: g.clone(),
            size: 0,
            depth: 0,
            leaf_depth_sum: 0,
            subfns: vec![],
        };
    }
    let mut t = vec![0u16; 4 + n];
    t[..4].copy_from_slice(&VARS4);
    let mut lev = vec![0u8; 4 + n];
    let val = |t: &[u16], l: GLit| {
        if l.is_complement() { !t[l.index()] } else { t[l.index()] }
    };
    for (i, &[a, b]) in g.nodes.iter().enumerate() {
        t[4 + i] = val(&t, a) & val(&t, b);
        lev[4 + i] = 1 + lev[a.index()].max(lev[b.index()]);
    }
    let norm = |x: u16| if x & 1 == 1 { !x } else { x };
    let flit = |l: GLit| -> u64 {
        let x = t[l.index()];
        ((norm(x) as u64) << 1) | (l.is_complement() as u64 ^ (x & 1) as u64)
    };
    let mut key: Vec<u64> = g
        .nodes
        .iter()
        .enumerate()
        .map(|(i, &[a, b])| {
            let (fa, fb) = (flit(a), flit(b));
            let (lo, hi) = if fa <= fb { (fa, fb) } else { (fb, fa) };
            (norm(t[4 + i]) as u64) << 34 | lo << 17 | hi
        })
        .collect();
    key.sort_unstable();
    // Node order: by (level, normalised function).
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (lev[4 + i], norm(t[4 + i])));
    let mut pos = vec![0usize; n];
    for (p, &i) in order.iter().enumerate() {
        pos[i] = p;
    }
    let remap = |l: GLit| -> GLit {
        if l.is_const() || l.index() < 4 { l } else { GLit::new(4 + pos[l.index() - 4], l.is_complement()) }
    };
    let mut out = DecGraph::new(4);
    for &i in &order {
        let [a, b] = g.nodes[i];
        let (a, b) = (remap(a), remap(b));
        out.nodes.push(if a <= b { [a, b] } else { [b, a] });
    }
    out.root = remap(g.root);
    let root_node = if !g.root.is_const() && g.root.index() >= 4 { Some(g.root.index()) } else { None };
    let subfns: Vec<u16> = (0..n).filter(|&i| Some(4 + i) != root_node).map(|i| norm(t[4 + i])).collect();
    let s = Structure::new(out);
    let leaf_depth_sum = s.leaf_depth.iter().filter(|&&d| d != UNUSED_LEAF).map(|&d| d as usize).sum();
    Cand { key, size: n, depth: s.depth as usize, leaf_depth_sum, subfns, graph: s.graph }
}

/// Deduplicated candidates of one class.
#[derive(Default)]
struct CandSet {
    seen: BTreeSet<Vec<u64>>,
    list: Vec<Cand>,
}

/// Upper bound on candidates per class (memory guard).
const MAX_CANDS: usize = 60_000;

impl CandSet {
    fn add(&mut self, g: &DecGraph) -> bool {
        if self.list.len() >= MAX_CANDS {
            return false;
        }
        let c = canonicalize(g);
        if self.seen.insert(c.key.clone()) {
            self.list.push(c);
            true
        } else {
            false
        }
    }

    /// Adds `g` and its images under the automorphisms of the class's function.
    fn add_closed(&mut self, g: &DecGraph, auts: &[NpnTransform]) {
        for a in auts {
            self.add(&a.apply_to_graph(g));
        }
    }
}

/// True if `f` is a literal of one input.
fn is_literal(f: u16) -> bool {
    VARS4.iter().any(|&v| f == v || f == !v)
}

/// The structures of function `f` built from the seeds of its class.
fn seeds_of(f: u16, seeds: &[Vec<DecGraph>]) -> Vec<DecGraph> {
    if let Some(i) = VARS4.iter().position(|&v| f == v || f == !v) {
        let mut g = DecGraph::new(4);
        g.root = GLit::new(i, f != VARS4[i]);
        return vec![g];
    }
    let n = npn::npn4(f);
    seeds[n.class as usize].iter().map(|s| n.transform.apply_to_graph(s)).collect()
}

/// Merges structures of `u` and `v` into one for `(u & v) ^ compl`, sharing nodes by function
/// (a node whose function, or its complement, already exists is replaced by that one), and
/// drops nodes the root does not use.
fn merge(a: &DecGraph, b: &DecGraph, compl: bool) -> DecGraph {
    let mut nodes: Vec<[GLit; 2]> = Vec::with_capacity(a.nodes.len() + b.nodes.len() + 1);
    let mut funcs: Vec<u16> = VARS4.to_vec();
    let val = |funcs: &[u16], l: GLit| {
        if l.is_complement() { !funcs[l.index()] } else { funcs[l.index()] }
    };
    let and = |nodes: &mut Vec<[GLit; 2]>, funcs: &mut Vec<u16>, x: GLit, y: GLit| -> GLit {
        let f = val(funcs, x) & val(funcs, y);
        if let Some(e) = funcs.iter().position(|&h| h == f || h == !f) {
            return GLit::new(e, funcs[e] != f);
        }
        nodes.push(if x <= y { [x, y] } else { [y, x] });
        funcs.push(f);
        GLit::new(funcs.len() - 1, false)
    };
    let mut roots = [GLit::CONST_FALSE; 2];
    for (r, src) in [a, b].into_iter().enumerate() {
        let mut map: Vec<GLit> = (0..4).map(|i| GLit::new(i, false)).collect();
        let sub = |map: &[GLit], l: GLit| map[l.index()].xor(l.is_complement());
        for &[x, y] in &src.nodes {
            let (x, y) = (sub(&map, x), sub(&map, y));
            let l = and(&mut nodes, &mut funcs, x, y);
            map.push(l);
        }
        roots[r] = sub(&map, src.root);
    }
    let root = and(&mut nodes, &mut funcs, roots[0], roots[1]).xor(compl);
    // Keep only the root's cone.
    let mut used = vec![false; funcs.len()];
    used[root.index()] = true;
    for e in (4..funcs.len()).rev() {
        if used[e] {
            for l in nodes[e - 4] {
                used[l.index()] = true;
            }
        }
    }
    let mut remap: Vec<usize> = (0..funcs.len()).collect();
    let mut g = DecGraph::new(4);
    for e in 4..funcs.len() {
        if used[e] {
            let [x, y] = nodes[e - 4].map(|l| GLit::new(remap[l.index()], l.is_complement()));
            remap[e] = 4 + g.nodes.len();
            g.nodes.push([x, y]);
        }
    }
    g.root = GLit::new(remap[root.index()], root.is_complement());
    g
}

/// The depth of a graph (AND nodes on the longest leaf-to-root path).
fn graph_depth(g: &DecGraph) -> usize {
    let mut lev = vec![0usize; 4 + g.nodes.len()];
    for (i, [a, b]) in g.nodes.iter().enumerate() {
        lev[4 + i] = 1 + lev[a.index()].max(lev[b.index()]);
    }
    if g.root.is_const() { 0 } else { lev[g.root.index()] }
}

/// What decomposition looks for in a class: `None` to skip it, else the largest useful depth.
fn decompose_goal(d: &ClassData, params: &GenParams) -> Option<usize> {
    let Some(min) = d.best() else { return Some(usize::MAX) };
    if min > params.dfs_gates {
        // Beyond the enumeration: everything helps.
        return Some(usize::MAX);
    }
    // Enumeration saw every structure of up to `dfs_gates` ANDs; decomposition can only add
    // larger ones: one more AND (if beyond the enumeration) or a lower depth.
    if min + params.depth_extra <= params.dfs_gates {
        return None;
    }
    let list = &d.cands.list;
    let min_size_depth = list.iter().filter(|c| c.size == min).map(|c| c.depth).min().unwrap_or(0);
    let best_depth = list.iter().map(|c| c.depth).min().unwrap_or(0);
    if min + 1 > params.dfs_gates {
        Some(min_size_depth)
    } else if best_depth > 0 {
        Some(best_depth - 1)
    } else {
        None
    }
}

/// Decomposition for one class: merges of seed structures over every split `c = u & v` or
/// `!c = u & v` into functions of known cost. Returns structures of at most the best size found
/// plus [`GenParams::depth_extra`] ANDs and at most `max_depth` levels (bounded by
/// [`GenParams::pool`] per size and depth).
fn decompose(
    k: usize,
    max_depth: usize,
    seeds: &[Vec<DecGraph>],
    costs: &[Option<usize>],
    params: &GenParams,
) -> Vec<DecGraph> {
    let c = npn::class_truth(k);
    if npn::support_size(c) <= 1 {
        return Vec::new();
    }
    let cost = |f: u16| -> Option<usize> { if is_literal(f) { Some(0) } else { costs[npn::npn4_class(f)] } };
    let mut best = costs[k].unwrap_or(usize::MAX);
    // Per function: its seed structures and their smallest depth.
    let mut memo: BTreeMap<u16, (Vec<DecGraph>, usize)> = BTreeMap::new();
    let mut buckets: BTreeMap<(usize, usize), Pool> = BTreeMap::new();
    let cap = params.pool / 4;
    for (t, compl) in [(c, false), (!c, true)] {
        let zeros = !t;
        if 3u64.pow(zeros.count_ones()) > 5_000_000 {
            continue;
        }
        // u = t | sub for every non-empty proper submask `sub` of the zeros.
        let mut sub = zeros;
        while sub != 0 {
            let u = t | sub;
            sub = (sub - 1) & zeros;
            if u == 0xFFFF {
                continue;
            }
            let Some(cu) = cost(u) else { continue };
            if cu + 1 > best.saturating_add(params.depth_extra) {
                continue;
            }
            let du = memo
                .entry(u)
                .or_insert_with(|| {
                    let s = seeds_of(u, seeds);
                    let d = s.iter().map(graph_depth).min().unwrap_or(0);
                    (s, d)
                })
                .1;
            if du + 1 > max_depth {
                continue;
            }
            // v = t | w, w a non-empty submask of the zeros u does not cover; u < v.
            let rest = zeros & !(u & zeros);
            let mut w = rest;
            while w != 0 {
                let v = t | w;
                w = (w - 1) & rest;
                if v <= u {
                    continue;
                }
                let Some(cv) = cost(v) else { continue };
                let limit = best.saturating_add(params.depth_extra);
                if cu.max(cv) + 1 > limit {
                    continue;
                }
                let dv = memo
                    .entry(v)
                    .or_insert_with(|| {
                        let s = seeds_of(v, seeds);
                        let d = s.iter().map(graph_depth).min().unwrap_or(0);
                        (s, d)
                    })
                    .1;
                if dv + 1 > max_depth {
                    continue;
                }
                let (su, sv) = (&memo[&u].0, &memo[&v].0);
                // Sharing differs little between seed variants: skip hopeless pairs early.
                if merge(&su[0], &sv[0], compl).nodes.len() > limit.saturating_add(2) {
                    continue;
                }
                for a in su {
                    for b in sv {
                        let g = merge(a, b, compl);
                        let size = g.nodes.len();
                        let depth = graph_depth(&g);
                        if size > best.saturating_add(params.depth_extra) || depth > max_depth {
                            continue;
                        }
                        best = best.min(size);
                        buckets.entry((size, depth)).or_default().insert(graph_hash(&g), g, cap);
                    }
                }
            }
        }
    }
    // Keep the best size + 1, and larger sizes only where they lower the depth.
    let mut out = Vec::new();
    let mut best_depth = usize::MAX;
    let mut last_size = 0;
    let mut size_best_depth = usize::MAX;
    for ((size, depth), pool) in buckets {
        if size != last_size {
            best_depth = best_depth.min(size_best_depth);
            size_best_depth = usize::MAX;
            last_size = size;
        }
        size_best_depth = size_best_depth.min(depth);
        if size <= best + 1 || depth < best_depth {
            out.extend(pool.items.into_values());
        }
    }
    out
}

/// SAT for the sizes between the proved lower bound and the best structure found. Returns the
/// new proved lower bound, the chains found (as graphs for the canonical function) and whether
/// SAT found a smaller structure.
fn sat_gap(k: usize, lower: usize, best: usize, params: &GenParams) -> (usize, Vec<DecGraph>, bool) {
    let c = npn::class_truth(k);
    if best <= lower {
        return (lower, Vec::new(), false);
    }
    let (target, flip) = if c & 1 == 1 { (!c, true) } else { (c, false) };
    let mut lower = lower;
    let mut all_proved = true;
    let first = lower;
    for n in first..best {
        let t = Instant::now();
        let q = Query {
            target,
            num_gates: n,
            max_depth: None,
            max_chains: params.sat_chains,
            conflict_limit: params.sat_conflicts,
        };
        let r = synthesize(&q);
        if params.verbose {
            let what = match &r {
                Synthesis::Chains(ch) => format!("{} chains", ch.len()),
                Synthesis::Unsat => "unsat".to_string(),
                Synthesis::Unknown => "budget out".to_string(),
            };
            eprintln!("  SAT class {k} ({c:04x}) {n} ANDs: {what} ({:.1}s)", t.elapsed().as_secs_f64());
        }
        match r {
            Synthesis::Chains(chains) => {
                let graphs = chains
                    .iter()
                    .map(|ch| {
                        let mut g = chain_graph(&ch.gates);
                        g.root = g.root.xor(flip);
                        g
                    })
                    .collect();
                return (if all_proved { n } else { lower }, graphs, true);
            }
            Synthesis::Unsat => {
                if all_proved {
                    lower = n + 1;
                }
            }
            Synthesis::Unknown => all_proved = false,
        }
    }
    (lower, Vec::new(), false)
}

/// For each depth, the fewest ANDs, keeping the points where fewer ANDs need more depth.
fn frontier_points(cands: &CandSet) -> Vec<(usize, usize)> {
    let mut by_depth: BTreeMap<usize, usize> = BTreeMap::new();
    for c in &cands.list {
        let e = by_depth.entry(c.depth).or_insert(c.size);
        *e = (*e).min(c.size);
    }
    let mut points = Vec::new();
    let mut best_size = usize::MAX;
    for (&d, &s) in &by_depth {
        if s < best_size {
            points.push((s, d));
            best_size = s;
        }
    }
    points
}

/// Selects structures for a class (indices into `cands.list`, in selection order): minimum
/// size, frontier points below the minimum-size depth, then one more AND with no more depth,
/// each group greedily by new sub-functions (lazy greedy: scores only decrease).
fn select(_k: usize, cands: &CandSet, min: usize, p: &GenParams) -> Vec<usize> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let list = &cands.list;
    let min_size_depth = list.iter().filter(|c| c.size == min).map(|c| c.depth).min().unwrap_or(0);
    let mut covered: BTreeSet<u16> = BTreeSet::new();
    let mut chosen: Vec<usize> = Vec::new();
    let mut taken = vec![false; list.len()];
    let mut group = |eligible: &dyn Fn(&Cand) -> bool, limit: usize, min_new: usize, chosen: &mut Vec<usize>| {
        let new_count = |covered: &BTreeSet<u16>, c: &Cand| c.subfns.iter().filter(|f| !covered.contains(f)).count();
        let mut heap = BinaryHeap::new();
        for (i, c) in list.iter().enumerate() {
            if !taken[i] && eligible(c) {
                heap.push((new_count(&covered, c), Reverse(c.depth), Reverse(c.leaf_depth_sum), Reverse(i)));
            }
        }
        let mut picked = 0;
        while picked < limit && chosen.len() < p.max_per_class {
            let Some((score, d, l, Reverse(i))) = heap.pop() else {
                break;
            };
            let now = new_count(&covered, &list[i]);
            if now < score {
                heap.push((now, d, l, Reverse(i)));
                continue;
            }
            if now < min_new {
                break;
            }
            taken[i] = true;
            covered.extend(list[i].subfns.iter().copied());
            chosen.push(i);
            picked += 1;
        }
    };
    group(&|c: &Cand| c.size == min, p.max_min_size, 0, &mut chosen);
    let points = frontier_points(cands);
    for &(s, d) in &points {
        if d < min_size_depth {
            group(&|c: &Cand| c.size == s && c.depth == d, p.max_per_depth, 0, &mut chosen);
        }
    }
    group(&|c: &Cand| c.size == min + 1 && c.depth <= min_size_depth, p.max_plus_one, 1, &mut chosen);
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_form_ignores_node_order_and_fanin_order() {
        let mut g = DecGraph::new(4);
        let a = g.and(g.leaf(0), g.leaf(1));
        let b = g.and(!g.leaf(2), g.leaf(3));
        g.root = !g.and(a, b);
        let mut h = DecGraph::new(4);
        let b2 = h.and(h.leaf(3), !h.leaf(2));
        let a2 = h.and(h.leaf(1), h.leaf(0));
        h.root = !h.and(b2, a2);
        let (cg, ch) = (canonicalize(&g), canonicalize(&h));
        assert_eq!(cg.key, ch.key);
        assert_eq!(cg.graph, ch.graph);
        assert_eq!(cg.graph.truth6(), g.truth6());
        assert_eq!(cg.subfns.len(), 2);
    }

    #[test]
    fn automorphisms_fix_the_canonical_function() {
        let auts = automorphisms();
        for (k, list) in auts.iter().enumerate() {
            let c = npn::class_truth(k);
            assert!(list.contains(&NpnTransform::IDENTITY));
            for a in list {
                assert_eq!(a.apply(c), c);
            }
        }
        // AND4 (class 1 = 0x0001, NOR of the inputs): only the 24 permutations.
        assert_eq!(auts[1].len(), 24);
    }
}
