//! Quick check: our ANDs/levels against aig/manifest.csv.
use abcrl::aig::{depth, io::read_file};
use std::path::Path;
fn main() {
    let text = std::fs::read_to_string("aig/manifest.csv").unwrap();
    let mut bad = 0;
    let mut n = 0;
    let t0 = std::time::Instant::now();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let path = format!("aig/{}/{}.aig", f[0], f[1]);
        let g = read_file(Path::new(&path)).unwrap();
        let (ands, lev): (usize, u32) = (f[4].parse().unwrap(), f[5].parse().unwrap());
        n += 1;
        if g.num_ands() != ands
            || depth(&g) != lev
            || g.num_pis() != f[2].parse::<usize>().unwrap()
            || g.num_pos() != f[3].parse::<usize>().unwrap()
        {
            bad += 1;
            println!("{path}: ours {} {} want {} {}", g.num_ands(), depth(&g), ands, lev);
        }
        let bytes = abcrl::aig::io::aiger::write_binary(&g);
        let h = abcrl::aig::io::aiger::read(&bytes, None, Path::new(&path)).unwrap();
        assert_eq!(h.structural_hash(), g.structural_hash(), "{path}");
    }
    println!("{n} designs, {bad} mismatches, {:?}", t0.elapsed());
}
