//! Equivalence checking against the corpus, planted bugs and Berkeley ABC.
//!
//! Run in release mode: `cargo test --release --test cec`. The tests that need ABC (to produce
//! `resyn2` results and to referee) skip with a note when no `berkeley-abc`, `abc` or `yosys-abc`
//! is on PATH; the planted-bug tests then mutate the original designs instead.

use abcrl::aig::io::{read_file, write_file};
use abcrl::aig::sim::{Patterns, SplitMix64, simulate_cos};
use abcrl::aig::{Aig, Lit, Var};
use abcrl::verify::{CecParams, CecResult, CecStats, cec, cec_with_stats};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};

// ----- helpers ---------------------------------------------------------------------------------

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn abc_binary() -> Option<&'static str> {
    ["berkeley-abc", "abc", "yosys-abc"]
        .into_iter()
        .find(|b| Command::new(b).arg("-c").arg("quit").output().is_ok_and(|o| o.status.success()))
}

/// A scratch directory for this test process.
fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("abcrl-cec-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("scratch directory");
    d
}

const RESYN2: &str =
    "balance; rewrite; refactor; balance; rewrite; rewrite -z; balance; refactor -z; rewrite -z; balance";

/// Runs ABC's resyn2 on `input`, writes `output` and returns ABC's own `cec -n` verdict of the
/// result against the input.
fn abc_resyn2(abc: &str, input: &Path, output: &Path) -> bool {
    let script = format!(
        "read {}; strash; {RESYN2}; write_aiger {}; cec -n {}",
        input.display(),
        output.display(),
        input.display()
    );
    let out = Command::new(abc).arg("-c").arg(&script).output().expect("run ABC");
    assert!(out.status.success() && output.exists(), "ABC failed on {}", input.display());
    parse_abc_cec(&String::from_utf8_lossy(&out.stdout))
}

/// ABC's resyn2 result of corpus design `name` and ABC's verdict on it, computed once per test
/// process and shared between the tests.
fn resyn2_of(abc: &str, name: &str) -> (PathBuf, bool) {
    /// One slot per design: the result file and ABC's verdict, filled by the first test asking.
    type Slot = Arc<OnceLock<(PathBuf, bool)>>;
    static CACHE: OnceLock<Mutex<BTreeMap<String, Slot>>> = OnceLock::new();
    let slot = {
        let mut map = CACHE.get_or_init(Default::default).lock().expect("cache lock");
        map.entry(name.to_string()).or_default().clone()
    };
    slot.get_or_init(|| {
        // Kept in Cargo's scratch directory for integration tests (under target/).
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cec-resyn2");
        std::fs::create_dir_all(&dir).expect("scratch directory");
        let out = dir.join(format!("{}.aig", name.replace('/', "_")));
        let ok = abc_resyn2(abc, &design_path(name), &out);
        (out, ok)
    })
    .clone()
}

/// ABC's `cec -n` verdict on two files.
fn abc_cec(abc: &str, a: &Path, b: &Path) -> bool {
    let out =
        Command::new(abc).arg("-c").arg(format!("cec -n {} {}", a.display(), b.display())).output().expect("run ABC");
    parse_abc_cec(&String::from_utf8_lossy(&out.stdout))
}

fn parse_abc_cec(stdout: &str) -> bool {
    if stdout.contains("Networks are equivalent") {
        true
    } else if stdout.contains("NOT EQUIVALENT") || stdout.contains("are not equivalent") {
        false
    } else {
        panic!("unexpected ABC output: {stdout}")
    }
}

/// Designs of the corpus (suite/name, ANDs) from the manifest, in manifest order.
fn corpus() -> Vec<(String, usize)> {
    let text = std::fs::read_to_string(root().join("aig/manifest.csv")).expect("manifest");
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Some((format!("{}/{}", f.first()?, f.get(1)?), f.get(4)?.parse().ok()?))
        })
        .collect()
}

fn design_path(name: &str) -> PathBuf {
    root().join("aig").join(format!("{name}.aig"))
}

/// A deterministic sample: every `step`-th design with at most `max_ands` ANDs.
fn sample(step: usize, max_ands: usize) -> Vec<String> {
    let mut all: Vec<(String, usize)> = corpus().into_iter().filter(|(_, a)| *a <= max_ands).collect();
    all.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    all.into_iter().step_by(step).map(|(n, _)| n).collect()
}

/// Rebuilds `aig` through `f`, which may replace the fanins of each AND (by old var).
fn rebuild(aig: &Aig, mut f: impl FnMut(Var, Lit, Lit, &mut Aig) -> Lit) -> Aig {
    let mut out = Aig::new();
    let mut map = vec![Lit::FALSE; aig.num_vars()];
    for &ci in aig.cis() {
        map[ci.index()] = out.add_input();
    }
    for v in aig.and_vars() {
        let [a, b] = aig.fanins(v);
        let fa = map[a.var().index()].xor(a.is_complement());
        let fb = map[b.var().index()].xor(b.is_complement());
        map[v.index()] = f(v, fa, fb, &mut out);
    }
    for &co in aig.cos() {
        out.add_output(map[co.var().index()].xor(co.is_complement()));
    }
    out
}

/// `aig` with the first fanin edge of AND `node` complemented.
fn flip_edge(aig: &Aig, node: Var) -> Aig {
    rebuild(aig, |v, a, b, g| if v == node { g.and(!a, b) } else { g.and(a, b) })
}

/// The CO values of `aig` under `patterns`.
fn co_words(aig: &Aig, patterns: &Patterns) -> Vec<Vec<u64>> {
    simulate_cos(aig, patterns)
}

/// True if random simulation shows `a` and `b` to differ.
fn simulation_differs(a: &Aig, b: &Aig) -> bool {
    let p = Patterns::random(a.num_cis(), 16, 99);
    co_words(a, &p) != co_words(b, &p)
}

/// Checks a NotEquivalent verdict independently: CO `output` differs under the counterexample and
/// no earlier CO does.
fn assert_valid_cex(a: &Aig, b: &Aig, result: &CecResult, what: &str) {
    let CecResult::NotEquivalent { output, counterexample } = result else {
        panic!("{what}: expected NotEquivalent, got {result:?}");
    };
    assert_eq!(counterexample.len(), a.num_cis(), "{what}: one value per CI");
    let p = Patterns { words: 1, data: counterexample.iter().map(|&x| u64::from(x)).collect() };
    let (va, vb) = (co_words(a, &p), co_words(b, &p));
    let differs = |i: usize| (va[i][0] ^ vb[i][0]) & 1 == 1;
    assert!(differs(*output), "{what}: output {output} does not differ under the counterexample");
    assert!((0..*output).all(|i| !differs(i)), "{what}: an earlier output differs too");
}

// ----- (a) resyn2 pairs ------------------------------------------------------------------------

#[test]
fn resyn2_results_are_equivalent_and_agree_with_abc() {
    let Some(abc) = abc_binary() else {
        eprintln!("note: no ABC binary on PATH; skipping the resyn2 comparison");
        return;
    };
    let mut designs = sample(4, 20_000);
    designs.extend(["epfl/sin", "epfl/voter", "epfl/multiplier"].map(String::from));
    let mut slowest = (0.0, String::new());
    for name in &designs {
        let input = design_path(name);
        let (output, abc_says) = resyn2_of(abc, name);
        let a = read_file(&input).expect("read original");
        let b = read_file(&output).expect("read resyn2 result");
        let mut stats = CecStats::default();
        let ours = cec_with_stats(&a, &b, &CecParams::default(), &mut stats).expect("cec runs");
        assert_eq!(ours, CecResult::Equivalent, "{name}: resyn2 result not proven equivalent");
        assert!(abc_says, "{name}: ABC disagrees");
        if stats.time.as_secs_f64() > slowest.0 {
            slowest = (stats.time.as_secs_f64(), name.clone());
        }
    }
    eprintln!("{} resyn2 pairs equivalent; slowest {} ({:.2} s)", designs.len(), slowest.1, slowest.0);
}

// ----- (b) planted bugs ------------------------------------------------------------------------

/// The designs the bug tests mutate: ABC's resyn2 result if ABC is here, else the original.
fn mutation_base(abc: Option<&str>, name: &str) -> (Aig, Aig, PathBuf) {
    let input = design_path(name);
    let a = read_file(&input).expect("read original");
    match abc {
        Some(abc) => {
            let (out, _) = resyn2_of(abc, name);
            (a, read_file(&out).expect("read resyn2 result"), input)
        }
        None => (a.clone(), a, input),
    }
}

#[test]
fn flipped_edges_are_caught() {
    let abc = abc_binary();
    if abc.is_none() {
        eprintln!("note: no ABC binary on PATH; mutating the original designs, no ABC referee");
    }
    let dir = scratch("flip");
    let mut rng = SplitMix64::new(2024);
    let mut designs = sample(9, 30_000);
    designs.push("epfl/log2".into());
    let mut checked = 0;
    for (k, name) in designs.iter().enumerate() {
        let (a, base, input) = mutation_base(abc, name);
        if base.num_ands() == 0 {
            continue;
        }
        let ands: Vec<Var> = base.and_vars().collect();
        // A node whose flip changes the function (our simulator confirms).
        let mutated = (0..20).find_map(|_| {
            let node = ands[(rng.next_u64() % ands.len() as u64) as usize];
            let m = flip_edge(&base, node);
            simulation_differs(&a, &m).then_some(m)
        });
        let Some(b) = mutated else { continue };
        let result = cec(&a, &b, &CecParams::default()).expect("cec runs");
        assert_valid_cex(&a, &b, &result, name);
        checked += 1;
        // ABC referees a few of them.
        if let Some(abc) = abc
            && k % 3 == 0
        {
            let path = dir.join(format!("{}_flip.aig", name.replace('/', "_")));
            write_file(&b, &path).expect("write mutated design");
            assert!(!abc_cec(abc, &input, &path), "{name}: ABC finds the flipped design equivalent");
        }
    }
    assert!(checked >= designs.len() / 2, "too few designs could be mutated ({checked})");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn swapped_outputs_are_caught() {
    let abc = abc_binary();
    let mut checked = 0;
    for name in sample(11, 30_000) {
        let (a, base, _) = mutation_base(abc, &name);
        if base.num_cos() < 2 {
            continue;
        }
        // Swap output 0 with the first output that is not equivalent to it.
        let p = Patterns::random(a.num_cis(), 4, 5);
        let words = co_words(&a, &p);
        let Some(j) = (1..base.num_cos()).find(|&j| words[j] != words[0]) else {
            continue;
        };
        let mut b = base.clone();
        let (x, y) = (b.co(0), b.co(j));
        b.set_co(0, y);
        b.set_co(j, x);
        let result = cec(&a, &b, &CecParams::default()).expect("cec runs");
        assert_valid_cex(&a, &b, &result, &name);
        let CecResult::NotEquivalent { output, .. } = result else { unreachable!() };
        assert_eq!(output, 0, "{name}: output 0 differs first");
        checked += 1;
    }
    assert!(checked >= 5, "too few designs with two different outputs ({checked})");
}

/// `aig` with CO `co` XORed with the AND of `k` CIs: different only when those CIs are all 1,
/// which random simulation of many inputs essentially never hits — SAT must find it.
fn plant_rare_bug(aig: &Aig, co: usize, k: usize) -> Aig {
    let mut b = rebuild(aig, |_, x, y, g| g.and(x, y));
    let cis: Vec<Lit> = b.cis().iter().map(|v| v.lit()).collect();
    let step = (cis.len() / k).max(1);
    let picked: Vec<Lit> = cis.iter().step_by(step).take(k).copied().collect();
    let t = b.and_many(&picked);
    let o = b.co(co);
    let x = b.xor(o, t);
    b.set_co(co, x);
    b
}

#[test]
fn rare_differences_are_found_by_sat() {
    let abc = abc_binary();
    let mut designs: Vec<String> = corpus()
        .into_iter()
        .filter(|(n, a)| *a <= 60_000 && read_file(&design_path(n)).is_ok_and(|g| g.num_cis() >= 64))
        .map(|(n, _)| n)
        .step_by(5)
        .collect();
    designs.push("epfl/hyp".into());
    for (i, name) in designs.iter().enumerate() {
        let (a, base, _) = mutation_base(if name == "epfl/hyp" { None } else { abc }, name);
        let co = i % base.num_cos();
        let b = plant_rare_bug(&base, co, 40);
        let mut stats = CecStats::default();
        let result = cec_with_stats(&a, &b, &CecParams::default(), &mut stats).expect("cec runs");
        assert_valid_cex(&a, &b, &result, name);
        // Random simulation cannot have found it: the counterexample sets 40 inputs to 1.
        let CecResult::NotEquivalent { output, .. } = result else { unreachable!() };
        assert!(output <= co, "{name}: differing output {output} after the planted one {co}");
    }
}

// ----- latches, dangling inputs, constants -------------------------------------------------------

#[test]
fn latches_are_compared_as_ci_co_pairs() {
    use abcrl::aig::LatchInit;
    // a: out = x & l, next(l) = x | l.  b: the same through De Morgan, plus an unused input.
    let build = |flip_next: bool| {
        let mut g = Aig::new();
        let x = g.add_input();
        let _unused = g.add_input();
        let l = g.add_latch(LatchInit::Zero);
        let o = g.and(x, l);
        g.add_output(o);
        let n = if flip_next { !g.and(!x, l) } else { g.or(x, l) };
        g.set_latch_next(0, n);
        g
    };
    let (a, b) = (build(false), build(false));
    assert_eq!(cec(&a, &b, &CecParams::default()).unwrap(), CecResult::Equivalent);
    let c = build(true);
    let r = cec(&a, &c, &CecParams::default()).unwrap();
    assert_valid_cex(&a, &c, &r, "latch next state");
    let CecResult::NotEquivalent { output, .. } = r else { unreachable!() };
    assert_eq!(output, 1, "the latch next-state CO differs");
    // Latch count mismatch is an error that names the counts.
    let mut d = Aig::new();
    let x = d.add_input();
    let _ = d.add_input();
    let _ = d.add_input();
    let o = d.and(x, x);
    d.add_output(o);
    d.add_output(x);
    let e = cec(&a, &d, &CecParams::default()).unwrap_err().to_string();
    assert!(e.contains("2 primary inputs and 1 latches") && e.contains("3 primary inputs and 0 latches"), "{e}");
}

#[test]
fn constant_and_input_outputs() {
    let mut a = Aig::new();
    let x = a.add_input();
    let y = a.add_input();
    a.add_output(Lit::FALSE);
    a.add_output(x);
    let n = a.and(x, !x);
    a.add_output(n);
    let mut b = Aig::new();
    let x2 = b.add_input();
    let y2 = b.add_input();
    let z = b.and(x2, y2);
    let w = b.and(x2, !y2);
    let zero = b.and(z, w); // constant 0, not visible to strash
    b.add_output(zero);
    let back = b.or(z, w); // = x
    b.add_output(back);
    b.add_output(Lit::FALSE);
    assert_eq!(cec(&a, &b, &CecParams::default()).unwrap(), CecResult::Equivalent);
    let _ = y;
    b.set_co(2, Lit::TRUE);
    let r = cec(&a, &b, &CecParams::default()).unwrap();
    assert_valid_cex(&a, &b, &r, "constant output");
}

// ----- (c) the command line ----------------------------------------------------------------------

fn abcrl(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_abcrl")).args(args).output().expect("run abcrl");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_exit_codes() {
    let dir = scratch("cli");
    let orig = design_path("mcnc/alu4");
    let a = read_file(&orig).unwrap();
    // Equivalent: every AND rebuilt as (x & y) & (x | y).
    let same = rebuild(&a, |_, x, y, g| {
        let p = g.and(x, y);
        let q = g.or(x, y);
        g.and(p, q)
    });
    let same_path = dir.join("same.aig");
    write_file(&same, &same_path).unwrap();
    let (code, stdout, _) = abcrl(&["cec", orig.to_str().unwrap(), same_path.to_str().unwrap()]);
    assert_eq!(code, 0, "equivalent: {stdout}");
    assert!(stdout.contains("equivalent"), "{stdout}");

    // Not equivalent: a planted rare bug on output 3.
    let bad = plant_rare_bug(&a, 3, 6);
    let bad_path = dir.join("bad.aig");
    write_file(&bad, &bad_path).unwrap();
    let (code, stdout, _) = abcrl(&["cec", orig.to_str().unwrap(), bad_path.to_str().unwrap()]);
    assert_eq!(code, 1, "not equivalent: {stdout}");
    assert!(stdout.contains("NOT EQUIVALENT") && stdout.contains("output 3"), "{stdout}");
    let vector = stdout.lines().last().unwrap_or("");
    assert_eq!(vector.len(), a.num_cis(), "counterexample vector: {stdout}");
    assert!(vector.chars().all(|c| c == '0' || c == '1'));
    let (code, stdout, _) = abcrl(&["cec", "--json", orig.to_str().unwrap(), bad_path.to_str().unwrap()]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON output");
    assert_eq!(json["verdict"], "not_equivalent");
    assert_eq!(json["output"], 3);
    assert_eq!(json["counterexample"].as_str().map(str::len), Some(a.num_cis()));
    assert!(json["time"].as_f64().is_some());

    // Errors: I/O count mismatch, missing file.
    let other = design_path("mcnc/alu2");
    let (code, _, stderr) = abcrl(&["cec", orig.to_str().unwrap(), other.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("input counts differ") && stderr.contains("14 primary inputs"), "{stderr}");
    let (code, _, stderr) = abcrl(&["cec", orig.to_str().unwrap(), "/nonexistent/x.aig"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("/nonexistent/x.aig"), "{stderr}");

    // Undecided: multiplier commutativity (a*b against b*a) with tiny limits.
    let mul = read_file(&design_path("epfl/multiplier")).unwrap();
    let half = mul.num_pis() / 2;
    let mut swapped = Aig::new();
    let ins: Vec<Lit> = (0..mul.num_pis()).map(|_| swapped.add_input()).collect();
    let mut map = vec![Lit::FALSE; mul.num_vars()];
    for (i, &ci) in mul.cis().iter().enumerate() {
        map[ci.index()] = ins[(i + half) % mul.num_pis()];
    }
    for v in mul.and_vars() {
        let [x, y] = mul.fanins(v);
        let fx = map[x.var().index()].xor(x.is_complement());
        let fy = map[y.var().index()].xor(y.is_complement());
        map[v.index()] = swapped.and(fx, fy);
    }
    for &co in mul.cos() {
        swapped.add_output(map[co.var().index()].xor(co.is_complement()));
    }
    let swapped_path = dir.join("mul_swapped.aig");
    write_file(&swapped, &swapped_path).unwrap();
    let mul_path = design_path("epfl/multiplier");
    let (code, stdout, _) = abcrl(&[
        "cec",
        mul_path.to_str().unwrap(),
        swapped_path.to_str().unwrap(),
        "--conflicts",
        "10",
        "--sweep-conflicts",
        "1",
        "--time-limit",
        "10",
    ]);
    assert_eq!(code, 2, "undecided: {stdout}");
    assert!(stdout.contains("UNDECIDED"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}
