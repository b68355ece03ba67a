//! The `clientgen` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generates typed async Rust clients from OpenAPI documents (Swagger 2.0, OpenAPI 3.0 and 3.1).
#[derive(Debug, Parser)]
#[command(name = "clientgen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Treats warnings (degraded constructs) as errors: exit 2, nothing written.
    #[arg(long, global = true)]
    deny_warnings: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Regenerates every client of the workspace (clientgen.toml), or with
    /// --spec and --out one spec into a standalone crate.
    Generate {
        /// One spec (Swagger 2.0, OpenAPI 3.0 or 3.1; YAML or JSON; may reference other local files).
        #[arg(long, requires = "out")]
        spec: Option<PathBuf>,
        /// The directory of the standalone crate.
        #[arg(long, requires = "spec")]
        out: Option<PathBuf>,
        /// The crate name (default: from the spec's file name).
        #[arg(long, requires = "spec")]
        name: Option<String>,
        /// Put each tag's operations, and exactly the types they use, behind
        /// a Cargo feature named after the tag (`full`, the default, turns on all).
        #[arg(long, requires = "spec")]
        tag_features: bool,
        /// Sets the crate version in clientgen.toml to the one the specs'
        /// changes since HEAD call for, and puts those changes on top of the
        /// generated crate's CHANGELOG.md.
        #[arg(long, conflicts_with = "spec")]
        bump: bool,
    },
    /// Regenerates in memory and fails if the workspace's generated crate differs.
    Check,
    /// What a spec change does to code using the generated crate: OLD and
    /// NEW spec files, or (without them) each API of the workspace against a
    /// git revision. Exit 0: nothing breaking; 3: breaking changes; 2: bad input.
    Diff {
        /// The old spec.
        #[arg(requires = "new", conflicts_with = "against")]
        old: Option<PathBuf>,
        /// The new spec.
        new: Option<PathBuf>,
        /// In the workspace: the revision whose specs are the old ones.
        #[arg(long, default_value = "HEAD")]
        against: String,
        /// `text` (one line per change) or `json`.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

/// How `diff` writes its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// One line per change, then the counts and the suggested bump.
    Text,
    /// `{"bump": …, "changes": […]}`.
    Json,
}

/// Exit codes: 0 done, 1 stale output or I/O failure, 2 bad input; `diff`:
/// 3 breaking changes.
fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut bump = false;
    let command = match cli.command {
        Command::Diff { old, new, against, format } => return diff(old.zip(new), &against, format),
        Command::Generate { bump: asked, .. } if asked => {
            bump = true;
            cli.command
        }
        command => command,
    };
    if bump && let Err(error) = workspace_root("").and_then(|root| bump_version(&root)) {
        eprint!("{error}");
        return ExitCode::from(exit_code(&error));
    }
    let progress = clientgen::progress::Progress::on_terminal();
    let result = match command {
        Command::Diff { .. } => unreachable!("handled above"),
        Command::Generate { spec: Some(spec), out: Some(out), name, tag_features, .. } => {
            let options = clientgen::ApiOptions { tag_features };
            clientgen::standalone_files_with(&spec, &out, name.as_deref(), options, &progress).map(|files| (files, false))
        }
        Command::Generate { .. } => workspace_root(" or pass --spec and --out")
            .and_then(|root| clientgen::workspace_files_with(&root, &progress))
            .map(|f| (f, false)),
        Command::Check => {
            workspace_root("").and_then(|root| clientgen::workspace_files_with(&root, &progress)).map(|f| (f, true))
        }
    };
    let (generated, check) = match result {
        Ok(done) => done,
        Err(error) => {
            drop(progress);
            eprint!("{error}");
            return ExitCode::from(exit_code(&error));
        }
    };
    if cli.deny_warnings && !generated.warnings.is_empty() {
        drop(progress);
        eprint!("{}", generated.warnings.denied());
        return ExitCode::from(2);
    }
    eprint!("{}", generated.warnings);
    let files = generated.output;
    progress.stage(if check { "comparing with the files on disk" } else { "writing files" });
    if check {
        let outcome = files.changes();
        // The progress line is erased before the run's own report.
        drop(progress);
        return match outcome {
            Ok(changes) if changes.is_empty() => {
                eprintln!("{} is up to date", files.root.display());
                ExitCode::SUCCESS
            }
            Ok(changes) => {
                eprintln!(
                    "{} is stale; run `cargo run --release -p clientgen -- generate`:\n{}",
                    files.root.display(),
                    changes.summary()
                );
                // What the stale files mean for the crate's users, when git can say.
                if let Ok(report) = workspace_root("").and_then(|root| clientgen::diff::workspace::against(&root, "HEAD")) {
                    eprint!("{}", report.output.summary());
                }
                ExitCode::from(1)
            }
            Err(error) => {
                eprintln!("{}: {error}", files.root.display());
                ExitCode::from(1)
            }
        };
    }
    let outcome = files.write();
    drop(progress);
    match outcome {
        Ok(changes) if changes.is_empty() => {
            eprintln!("{}: unchanged", files.root.display());
            ExitCode::SUCCESS
        }
        Ok(changes) => {
            eprint!("{}: updated\n{}", files.root.display(), changes.summary());
            ExitCode::SUCCESS
        }
        Err(error @ clientgen::output::WriteError::Foreign(_)) => {
            eprintln!("{}: {error}", files.root.display());
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("{}: {error}", files.root.display());
            ExitCode::from(1)
        }
    }
}

fn exit_code(error: &clientgen::Error) -> u8 {
    match error {
        clientgen::Error::Internal(_) | clientgen::Error::Io(_) => 1,
        clientgen::Error::Input(_) | clientgen::Error::Config(_) | clientgen::Error::Usage(_) => 2,
    }
}

/// `clientgen diff`: two files, or the workspace against `against`.
fn diff(files: Option<(PathBuf, PathBuf)>, against: &str, format: Format) -> ExitCode {
    let report = match files {
        Some((old, new)) => clientgen::diff::workspace::files(&old, &new),
        None => workspace_root(" or pass OLD and NEW")
            .and_then(|root| clientgen::diff::workspace::against(&root, against))
            .map(|generated| generated.output),
    };
    let report = match report {
        Ok(report) => report,
        // A spec that cannot be read is bad input here: there is nothing to compare.
        Err(error) => {
            eprint!("{error}");
            return ExitCode::from(if matches!(error, clientgen::Error::Internal(_)) { 1 } else { 2 });
        }
    };
    match format {
        Format::Text => print!("{}", report.text()),
        Format::Json => println!("{}", serde_json::to_string_pretty(&report.json()).unwrap_or_default()),
    }
    ExitCode::from(if report.is_breaking() { 3 } else { 0 })
}

/// `generate --bump`: the version the changes since HEAD call for goes into
/// clientgen.toml (so the generated Cargo.toml carries it), and the changes
/// on top of the generated crate's CHANGELOG.md. Measured from HEAD's
/// version, so that a second run before a commit gives the same result.
fn bump_version(root: &std::path::Path) -> Result<(), clientgen::Error> {
    use clientgen::diff::{Bump, workspace};
    let report = workspace::against(root, "HEAD")?.output;
    let bump = report.bump();
    if bump == Bump::None {
        eprintln!("no change to the generated API since HEAD; the version stays {}", report.version);
        return Ok(());
    }
    let version = bump.apply(&report.version);
    let config = clientgen::config::read(root).map_err(clientgen::Error::Config)?;
    let path = root.join(&config.krate.path).join("CHANGELOG.md");
    // Made before anything is written: a changelog that is not ours stops the run.
    let changelog = workspace::changelog(&path, &report, &version)?;
    workspace::set_version(root, &version)?;
    workspace::write_changelog(&path, &changelog)?;
    eprintln!("{}
version {} → {version}", report.counts(), report.version);
    Ok(())
}

/// The workspace holding the current directory; `alternative` completes the
/// advice given when there is none.
fn workspace_root(alternative: &str) -> Result<PathBuf, clientgen::Error> {
    let here = std::env::current_dir().map_err(|e| clientgen::Error::Config(format!("cannot read the current directory: {e}")))?;
    clientgen::config::find_root(&here).ok_or_else(|| {
        clientgen::Error::Config(format!(
            "no {} found in {} or its parents; run from the workspace{alternative}",
            clientgen::config::FILE_NAME,
            here.display()
        ))
    })
}
