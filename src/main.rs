//! The `abcrl` binary: a thin wrapper around [`abcrl::cli`].

fn main() -> std::process::ExitCode {
    abcrl::cli::main()
}
