fn main() {
    println!("abcrl");
}
