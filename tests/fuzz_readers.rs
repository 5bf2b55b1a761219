//! A stable-Rust stand-in for the libFuzzer targets in `fuzz/`: mutates the seed corpus
//! (`fuzz/seeds/<target>/`) and the crash regressions (`tests/data/fuzz_regressions/`) with a
//! seeded generator — bit flips, byte changes, truncations, insertions of random bytes and of
//! format tokens, deletions, duplicated and swapped lines, extreme numbers — and checks the
//! property of `common/fuzz_check.rs` on every result: the readers return `Ok` or `Err` and never
//! panic, and whatever reads survives a round trip through every writer.
//!
//! Hangs are caught by a watchdog; absurd allocations by a counting global allocator (the peak
//! memory of one case must stay below [`PEAK_LIMIT`], and a single request above
//! [`ABSURD_REQUEST`] aborts with a message). `ABCRL_FUZZ_ITERS` sets the number of mutated
//! cases (default 5000), `ABCRL_FUZZ_SEED` the seed.

#[path = "common/fuzz_check.rs"]
mod fuzz_check;

use abcrl::aig::io::Format;
use abcrl::aig::sim::SplitMix64;
use fuzz_check::{FORMATS, check};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// Peak extra memory one case may use.
const PEAK_LIMIT: usize = 256 << 20;
/// A single allocation this large is a bug: abort at once rather than swap.
const ABSURD_REQUEST: usize = 1 << 30;
/// A case taking this long counts as a hang.
const CASE_TIMEOUT: Duration = Duration::from_secs(20);

thread_local! {
    static CURRENT: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

/// Counts the bytes allocated by the current thread (the readers are single-threaded).
struct Counting;

fn note_alloc(size: usize) {
    let _ = CURRENT.try_with(|c| {
        let now = c.get() + size;
        c.set(now);
        let _ = PEAK.try_with(|p| p.set(p.get().max(now)));
    });
}

fn note_free(size: usize) {
    let _ = CURRENT.try_with(|c| c.set(c.get().saturating_sub(size)));
}

fn refuse(size: usize) -> ! {
    use std::io::Write;
    let _ = std::io::stderr().write_all(b"fuzz_readers: a reader asked for more than 1 GiB in one allocation\n");
    let _ = size;
    std::process::abort()
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() > ABSURD_REQUEST {
            refuse(layout.size());
        }
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            note_alloc(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.size() > ABSURD_REQUEST {
            refuse(layout.size());
        }
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            note_alloc(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        note_free(layout.size());
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > ABSURD_REQUEST {
            refuse(new_size);
        }
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            note_free(layout.size());
            note_alloc(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn format_of(path: &Path) -> Option<Format> {
    Format::from_path(path)
}

/// The seed corpus: (format, bytes) for every file under `fuzz/seeds/` and the regressions.
fn corpus() -> Vec<(Format, PathBuf, Vec<u8>)> {
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in [
        "fuzz/seeds/aiger_binary",
        "fuzz/seeds/aiger_ascii",
        "fuzz/seeds/blif",
        "fuzz/seeds/bench",
        "tests/data/fuzz_regressions",
    ] {
        if let Ok(entries) = std::fs::read_dir(root().join(dir)) {
            files.extend(entries.filter_map(|e| e.ok()).map(|e| e.path()));
        }
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let f = format_of(&p)?;
            let bytes = std::fs::read(&p).ok()?;
            Some((f, p, bytes))
        })
        .collect()
}

/// Tokens worth inserting, per format.
fn tokens(format: Format) -> &'static [&'static [u8]] {
    match format {
        Format::AigerBinary | Format::AigerAscii => &[
            b"aig ",
            b"aag ",
            b"\n",
            b" ",
            b"0",
            b"1",
            b"2",
            b"268435456",
            b"4294967295",
            b"18446744073709551615",
            b"i0 ",
            b"o0 ",
            b"l0 ",
            b"b0 ",
            b"\nc\n",
            b"\x80",
            b"\xff\xff\xff\xff\x0f",
            b"\xc3",
            b"\xe2\x82",
        ],
        Format::Blif => &[
            b".model",
            b".inputs",
            b".outputs",
            b".names",
            b".latch",
            b".end",
            b".conn",
            b".subckt",
            b".exdc",
            b".default_input_arrival",
            b" 1\n",
            b" 0\n",
            b"-",
            b"\\\n",
            b"#",
            b"\n",
            b" re clk ",
            b" 2\n",
            b"\xc3",
        ],
        Format::Bench => &[
            b"INPUT(", b"OUTPUT(", b" = ", b"AND(", b"OR(", b"NAND(", b"NOR(", b"XOR(", b"XNOR(", b"NOT(", b"BUFF(",
            b"DFF(", b"DFF1(", b"MUX(", b"LUT 0x", b"vdd", b"gnd", b", ", b")", b"#", b"\n", b"\xc3",
        ],
    }
}

const NUMBERS: &[&[u8]] =
    &[b"0", b"1", b"3", b"65535", b"268435455", b"268435456", b"4294967296", b"99999999999999999999"];

fn below(rng: &mut SplitMix64, n: usize) -> usize {
    if n == 0 { 0 } else { (rng.next_u64() % n as u64) as usize }
}

/// Applies one random mutation.
fn mutate(rng: &mut SplitMix64, data: &mut Vec<u8>, format: Format) {
    let len = data.len();
    match rng.next_u64() % 10 {
        0 if len > 0 => {
            let i = below(rng, len);
            data[i] ^= 1 << (rng.next_u64() % 8);
        }
        1 if len > 0 => {
            let i = below(rng, len);
            data[i] = rng.next_u64() as u8;
        }
        2 => data.truncate(below(rng, len + 1)),
        3 => {
            let at = below(rng, len + 1);
            let n = 1 + below(rng, 8);
            let bytes: Vec<u8> = (0..n).map(|_| rng.next_u64() as u8).collect();
            data.splice(at..at, bytes);
        }
        4 => {
            let at = below(rng, len + 1);
            let t = tokens(format);
            let tok = t[below(rng, t.len())];
            data.splice(at..at, tok.iter().copied());
        }
        5 if len > 0 => {
            let a = below(rng, len);
            let b = (a + 1 + below(rng, 16)).min(len);
            data.drain(a..b);
        }
        6 => {
            // Duplicate a line.
            let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
            let k = below(rng, lines.len());
            let mut line = lines[k].to_vec();
            line.push(b'\n');
            let at = below(rng, len + 1);
            data.splice(at..at, line);
        }
        7 => {
            // Swap two lines.
            let mut lines: Vec<Vec<u8>> = data.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
            let (a, b) = (below(rng, lines.len()), below(rng, lines.len()));
            lines.swap(a, b);
            *data = lines.join(&b'\n');
        }
        8 => {
            // Replace a number with an extreme one.
            let starts: Vec<usize> =
                (0..len).filter(|&i| data[i].is_ascii_digit() && (i == 0 || !data[i - 1].is_ascii_digit())).collect();
            if !starts.is_empty() {
                let s = starts[below(rng, starts.len())];
                let e = (s..len).find(|&i| !data[i].is_ascii_digit()).unwrap_or(len);
                let n = NUMBERS[below(rng, NUMBERS.len())];
                data.splice(s..e, n.iter().copied());
            }
        }
        _ => {
            // Repeat a chunk many times (long lines, deep structures).
            if len > 0 {
                let a = below(rng, len);
                let b = (a + 1 + below(rng, 32)).min(len);
                let chunk = data[a..b].to_vec();
                let times = 1 + below(rng, 64);
                for _ in 0..times {
                    data.splice(b..b, chunk.iter().copied());
                }
            }
        }
    }
}

/// Runs `check` on one case under `catch_unwind`, with the memory peak measured. Returns a
/// description of the failure, if any.
fn run_case(bytes: &[u8], format: Format) -> Option<String> {
    let before = CURRENT.with(Cell::get);
    PEAK.with(|p| p.set(before));
    let outcome = catch_unwind(AssertUnwindSafe(|| check(bytes, format)));
    let peak = PEAK.with(Cell::get) - before;
    match outcome {
        Err(e) => {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Some(format!("panic reading as {format}: {msg}"))
        }
        Ok(_) if peak > PEAK_LIMIT => Some(format!("reading as {format} used {} MiB", peak >> 20)),
        Ok(_) => None,
    }
}

/// Runs `work` on a thread, failing if it does not finish in time.
fn with_watchdog(what: &str, current: Arc<Mutex<Vec<u8>>>, work: impl FnOnce() + Send + 'static) {
    let (tx, rx) = mpsc::channel();
    let handle = std::thread::spawn(move || {
        work();
        let _ = tx.send(());
    });
    let mut last = Instant::now();
    loop {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(()) => break,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let case = current.lock().map(|c| c.clone()).unwrap_or_default();
                if case.is_empty() {
                    last = Instant::now();
                } else if last.elapsed() > CASE_TIMEOUT {
                    panic!("{what}: a case ran longer than {CASE_TIMEOUT:?}:\n{}", String::from_utf8_lossy(&case));
                }
            }
        }
    }
    if let Err(e) = handle.join() {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn mutated_corpus_never_panics() {
    let iterations: usize = std::env::var("ABCRL_FUZZ_ITERS").ok().and_then(|s| s.parse().ok()).unwrap_or(5000);
    let seed: u64 = std::env::var("ABCRL_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0xabc);
    let corpus = corpus();
    assert!(corpus.len() >= 20, "seed corpus missing: {} files", corpus.len());
    let current = Arc::new(Mutex::new(Vec::new()));
    let shared = current.clone();
    with_watchdog("mutation fuzzing", current, move || {
        let mut rng = SplitMix64::new(seed);
        let mut failures: Vec<String> = Vec::new();
        let mut parsed = 0usize;
        for iter in 0..iterations {
            let (format, path, seed_bytes) = &corpus[iter % corpus.len()];
            let mut data = seed_bytes.clone();
            for _ in 0..1 + below(&mut rng, 3) {
                mutate(&mut rng, &mut data, *format);
            }
            // Mostly the seed's own format; sometimes another, to mix up format confusion.
            let target = if iter % 4 == 3 { FORMATS[below(&mut rng, 4)] } else { *format };
            *shared.lock().unwrap() = data.clone();
            let started = Instant::now();
            if let Some(f) = run_case(&data, target) {
                failures.push(format!(
                    "case {iter} (from {}, read as {target}): {f}\n--- input ({} bytes, lossy) ---\n{}",
                    path.display(),
                    data.len(),
                    String::from_utf8_lossy(&data[..data.len().min(2000)])
                ));
            }
            assert!(started.elapsed() < CASE_TIMEOUT, "case {iter} took {:?}", started.elapsed());
            parsed += usize::from(abcrl::aig::io::read_bytes_as(&data, target, fuzz_check::path_for(target)).is_ok());
            shared.lock().unwrap().clear();
        }
        eprintln!("fuzz_readers: {iterations} mutated cases, {parsed} parsed, {} failures", failures.len());
        assert!(failures.is_empty(), "{} failing cases; first:\n{}", failures.len(), failures[0]);
    });
}

#[test]
fn seeds_parse_and_round_trip() {
    for (format, path, bytes) in corpus() {
        if path.components().any(|c| c.as_os_str() == "fuzz_regressions") {
            continue;
        }
        assert!(check(&bytes, format), "{}: seed does not parse", path.display());
    }
}

/// Every input that once crashed a reader (kept under `tests/data/fuzz_regressions/`, format by
/// extension) is read without a panic, and round-trips if it parses.
#[test]
fn fuzz_regressions() {
    let dir = root().join("tests/data/fuzz_regressions");
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&dir).map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect()).unwrap_or_default();
    files.sort();
    assert!(!files.is_empty(), "no regression inputs in {}", dir.display());
    for path in files {
        let format = format_of(&path).unwrap_or_else(|| panic!("{}: unknown extension", path.display()));
        let bytes = std::fs::read(&path).unwrap();
        if let Some(f) = run_case(&bytes, format) {
            panic!("{}: {f}", path.display());
        }
    }
}
