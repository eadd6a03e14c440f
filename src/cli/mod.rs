//! Command-line interface: argument definitions and dispatch to subcommands.
//!
//! Exit codes: 0 clean, 1 problems found, 2 usage or I/O error.

mod debug;
mod discover;
mod fix;
mod input;
mod lint;
mod markdown;
mod rules;

pub use discover::is_dockerfile_name;
pub use rules::{explanation, reference_markdown, table_markdown};

use crate::config::FailOn;
use crate::linter::{self, LoadedRules};
use crate::report::{Format, write_problems};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::PathBuf;

/// Exit code: nothing to report.
pub const EXIT_OK: u8 = 0;
/// Exit code: problems found (findings, syntax errors).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage, configuration or I/O error.
pub const EXIT_ERROR: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "shipshape",
    version,
    about = "A Dockerfile linter",
    long_about = "A Dockerfile linter. shipshape reads Dockerfiles as BuildKit does and \
reports problems as compiler-style diagnostics, or in a machine format (JSON, SARIF, GNU, \
Checkstyle, GitHub annotations, GitLab Code Quality, hadolint's JSON). Its rules are TOML \
files: the built-in pack, plus a team's own folders.\n\n\
Settings come from the closest .shipshape.toml (or shipshape.toml, or else .hadolint.yaml) \
above each file. hadolint's command line works too: `shipshape Dockerfile` and `shipshape -` \
mean `shipshape lint ...`, and hadolint's options are accepted (see docs/hadolint.md). Exit codes: 0 nothing at or above the failure threshold, 1 findings, \
2 a usage, settings, rule-file or I/O error.",
    max_term_width = 100
)]
pub struct Cli {
    /// When to use colours in diagnostics.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,
    /// No colours: the same as `--color never` (hadolint's spelling).
    #[arg(long, global = true)]
    pub no_color: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Colour when writing to a terminal; `NO_COLOR`, `CLICOLOR_FORCE`,
    /// `FORCE_COLOR` and `CLICOLOR=0` are honoured.
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint Dockerfiles.
    ///
    /// Exit code 0 when nothing at or above the failure threshold was found,
    /// 1 when something was, 2 on a usage, rule-file or I/O error (the other
    /// files are still linted and reported).
    Lint(Box<LintArgs>),
    /// List the rules, explain one, or test a folder of rules.
    Rules(RulesArgs),
    /// Inspect how shipshape reads a Dockerfile.
    #[command(subcommand)]
    Debug(DebugCommand),
    /// Print a shell completion script.
    ///
    /// bash: `shipshape completions bash > ~/.local/share/bash-completion/completions/shipshape`;
    /// zsh: `shipshape completions zsh > "${fpath[1]}/_shipshape"`;
    /// fish: `shipshape completions fish > ~/.config/fish/completions/shipshape.fish`.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write one page per subcommand.
    ///
    /// `shipshape man | man -l -` shows it; `shipshape man --dir DIR` writes
    /// shipshape.1, shipshape-lint.1, ... into DIR.
    Man {
        /// Write every page into this directory instead of printing
        /// shipshape(1).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files and directories to lint; `-` reads stdin. Directories are
    /// searched for Dockerfile, Dockerfile.*, Dockerfile-*, Dockerfile_*,
    /// *.Dockerfile, *-Dockerfile, Containerfile and *.containerfile names
    /// (any case), honouring .gitignore. Defaults to the current directory
    /// (stdin with --stdin-filename).
    pub paths: Vec<String>,
    /// Output format. hadolint's names work: `tty` is `pretty`,
    /// `gitlab_codeclimate` is `gitlab`; but `json` is shipshape's own
    /// document, and hadolint's JSON is `hadolint-json`.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to this file instead of stdout (errors and
    /// warnings still go to stderr).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// A folder of rule files (*.toml) to add to the built-in rules.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Treat this stage as the final one (as `docker build --target`).
    #[arg(long, value_name = "STAGE")]
    pub target: Option<String>,
    /// The file name to show (and judge by) for input read from stdin;
    /// without any path, stdin is read.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// The path to show in the report for the one file linted (hadolint's
    /// option; for stdin, the same as --stdin-filename).
    #[arg(long, value_name = "PATH")]
    pub file_path_in_report: Option<String>,
    /// Only run these rules: ids, id prefixes (SEC), names, categories or
    /// aliases (DL3002), comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,
    /// Don't run these rules (same selectors as --select; repeatable). A
    /// hadolint, ShellCheck, BuildKit, Trivy or Checkov code shipshape has
    /// no rule for is a warning, not an error.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// Report these rules as errors (repeatable; same selectors as
    /// --select). Overrides the settings file's `[severity]`.
    #[arg(long, value_name = "RULE", help_heading = "Severities")]
    pub error: Vec<String>,
    /// Report these rules as warnings.
    #[arg(long, value_name = "RULE", help_heading = "Severities")]
    pub warning: Vec<String>,
    /// Report these rules as info.
    #[arg(long, value_name = "RULE", help_heading = "Severities")]
    pub info: Vec<String>,
    /// Report these rules as style.
    #[arg(long, value_name = "RULE", help_heading = "Severities")]
    pub style: Vec<String>,
    /// The lowest severity that makes the exit code 1 (default: style, so
    /// any finding fails; `none` or `ignore` never fails on findings).
    /// Overrides the settings file's `fail-on`.
    #[arg(long, short = 't', value_enum, visible_alias = "failure-threshold")]
    pub fail_on: Option<FailOn>,
    /// Exit 0 even when there are findings (errors still exit 2).
    #[arg(long, visible_alias = "no-fail")]
    pub exit_zero: bool,
    /// Use this settings file for every input, instead of looking for
    /// `.shipshape.toml` / `shipshape.toml` (or `.hadolint.yaml`) next to
    /// each file and in its parent directories.
    #[arg(long, short = 'c', value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Ignore every settings file.
    #[arg(long)]
    pub isolated: bool,
    /// Don't lint files whose path matches this glob (repeatable; `**`
    /// crosses directories). Added to the settings file's `exclude`.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// A registry (or registry/namespace prefix) base images may come from
    /// (repeatable); added to the settings' `trusted-registries`.
    #[arg(long, value_name = "REGISTRY")]
    pub trusted_registry: Vec<String>,
    /// hadolint's label schema (`LABEL:FORMAT`). shipshape has no label
    /// checks: accepted with a warning, and no effect.
    #[arg(
        long,
        value_name = "LABEL:FORMAT",
        help_heading = "hadolint options without effect"
    )]
    pub require_label: Vec<String>,
    /// hadolint's strict label schema. Accepted with a warning, no effect.
    #[arg(long, help_heading = "hadolint options without effect")]
    pub strict_labels: bool,
    /// Print only the diagnostics: no summary line, no notes.
    #[arg(long, short)]
    pub quiet: bool,
    /// Say on stderr which settings file governs each file, which rules
    /// run, and what each foreign code in the selectors maps to.
    #[arg(long, short = 'v', short_alias = 'V')]
    pub verbose: bool,
    /// Print the number of findings per rule instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Files larger than this are reported, not read (bytes; K, M and G
    /// suffixes are powers of 1024).
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = parse_size)]
    pub max_file_size: u64,
    /// Apply the safe fixes to the files (stdin: print the fixed text on
    /// stdout, the findings on stderr), then report the findings that
    /// remain.
    #[arg(long, help_heading = "Fixing")]
    pub fix: bool,
    /// With --fix or --diff, apply the unsafe fixes too: they may change
    /// what the image does.
    #[arg(long, help_heading = "Fixing")]
    pub unsafe_fixes: bool,
    /// Print the changes --fix would make as a unified diff and write
    /// nothing; exit code 1 if anything would change.
    #[arg(long, help_heading = "Fixing", conflicts_with = "statistics")]
    pub diff: bool,
    /// With --fix, list what was fixed (on stderr), per file and rule.
    #[arg(long, help_heading = "Fixing")]
    pub show_fixes: bool,
}

impl LintArgs {
    /// The severity overrides of `--error`, `--warning`, `--info` and
    /// `--style`, in that order.
    pub fn severity_overrides(&self) -> Vec<(String, crate::diagnostic::Severity)> {
        use crate::diagnostic::Severity;
        [
            (&self.error, Severity::Error),
            (&self.warning, Severity::Warning),
            (&self.info, Severity::Info),
            (&self.style, Severity::Style),
        ]
        .into_iter()
        .flat_map(|(sels, sev)| sels.iter().map(move |s| (s.clone(), sev)))
        .collect()
    }
}

/// The names of the subcommands: a first word that is none of these (nor
/// an option) makes the command line `shipshape lint ...`.
const SUBCOMMANDS: [&str; 6] = ["lint", "rules", "debug", "completions", "man", "help"];

/// hadolint's command line, read as shipshape's: `shipshape FILE...` and
/// `shipshape -` (and `shipshape --format json FILE`) become `shipshape
/// lint ...`, when the first word that is not a global option is no
/// subcommand. `-v` alone prints the version, as `hadolint -v` does. A file
/// named like a subcommand is reached as `./lint` or after `--`.
pub fn hadolint_args(args: Vec<OsString>) -> Vec<OsString> {
    let mut i = 1;
    // Global options before the subcommand.
    while let Some(a) = args.get(i).and_then(|a| a.to_str()) {
        if a == "--color" {
            i += 2;
        } else if a.starts_with("--color=") || a == "--no-color" {
            i += 1;
        } else {
            break;
        }
    }
    let Some(first) = args.get(i) else {
        return args;
    };
    let first = first.to_string_lossy();
    let alone = args.len() == i + 1;
    if SUBCOMMANDS.contains(&first.as_ref())
        || matches!(first.as_ref(), "-h" | "--help" | "--version")
        || (first == "-V" && alone)
    {
        return args;
    }
    if first == "-v" && alone {
        let mut args = args;
        args[i] = OsString::from("--version");
        return args;
    }
    let mut out = args;
    out.insert(1, OsString::from("lint"));
    out
}

/// `64M`, `512K`, `1G` or a number of bytes.
fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (digits, unit) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => s.split_at(i),
        None => (s, ""),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{s}` is not a size (a number, optionally with K, M or G)"))?;
    let factor: u64 = match unit.to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        _ => return Err(format!("`{unit}` is not a size unit (K, M or G)")),
    };
    n.checked_mul(factor)
        .ok_or_else(|| format!("`{s}` is too large"))
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub action: Option<RulesCommand>,
    /// A folder of rule files (*.toml) to add to the built-in rules.
    #[arg(long = "rules", value_name = "DIR", global = true)]
    pub rules: Vec<PathBuf>,
    /// Output format of the list.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Print a rule's documentation and examples (by id, name or alias),
    /// rendered for the terminal: wrapped to its width, styled when
    /// colours are on.
    Explain {
        /// A rule id (SEC001), name (final-stage-missing-user) or alias (DL3002).
        rule: String,
    },
    /// Check a folder of rule files and run their examples (without a
    /// folder: the built-in rules).
    ///
    /// Exit code 0 when every example passes, 1 when one fails, 2 when the
    /// rules don't load.
    Test {
        /// The folder of rule files (*.toml, searched recursively).
        dir: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
    /// The reference document (docs/rules.md for the built-in rules).
    Markdown,
}

#[derive(Debug, Subcommand)]
pub enum DebugCommand {
    /// Print the syntax tree of a Dockerfile (`-` reads stdin).
    ///
    /// Syntax errors go to stderr. Exit code 0 when there are none, 1 when
    /// there are some, 2 when the file can't be read.
    Ast {
        /// Output format.
        #[arg(long, value_enum, default_value_t = AstFormat::Tree)]
        format: AstFormat,
        /// The Dockerfile, or `-` for stdin.
        path: String,
    },
    /// Print the lossless token stream of a Dockerfile (`-` reads stdin).
    Tokens {
        /// The Dockerfile, or `-` for stdin.
        path: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AstFormat {
    /// An indented tree with positions.
    Tree,
    /// The tree as JSON, byte spans as `[start, end]`.
    Json,
    /// BuildKit's S-expression dump, one line per instruction.
    Buildkit,
}

/// Runs a parsed command line and returns the process exit code.
pub fn run(mut cli: Cli) -> u8 {
    if cli.no_color {
        cli.color = ColorWhen::Never;
    }
    let color_out = use_color(cli.color, std::io::stdout().is_terminal());
    let color_err = use_color(cli.color, std::io::stderr().is_terminal());
    match cli.command {
        Command::Lint(args) => lint::run(&args, color_out, color_err),
        Command::Rules(args) => match &args.action {
            None => rules::list(&args.rules, args.format, color_err),
            Some(RulesCommand::Explain { rule }) => {
                rules::explain(&args.rules, rule, color_out, color_err)
            }
            Some(RulesCommand::Test { dir }) => rules::test(dir.as_ref(), &args.rules, color_out),
        },
        Command::Debug(DebugCommand::Ast { format, path }) => debug::ast(&path, format, cli.color),
        Command::Debug(DebugCommand::Tokens { path }) => debug::tokens(&path, cli.color),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, "shipshape", &mut out);
            write_stdout(&out)
        }
        Command::Man { dir } => man(dir.as_deref()),
    }
}

/// Writes bytes to stdout; a closed pipe is not an error.
fn write_stdout(bytes: &[u8]) -> u8 {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot write output: {e}");
            EXIT_ERROR
        }
        _ => EXIT_OK,
    }
}

/// `shipshape man`: shipshape(1) on stdout, or every page into `dir`.
fn man(dir: Option<&std::path::Path>) -> u8 {
    let cmd = <Cli as clap::CommandFactory>::command();
    let Some(dir) = dir else {
        let mut out = Vec::new();
        if let Err(e) = clap_mangen::Man::new(cmd).render(&mut out) {
            eprintln!("error: cannot render the manual page: {e}");
            return EXIT_ERROR;
        }
        return write_stdout(&out);
    };
    let written = std::fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(cmd, dir));
    match written {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!(
                "error: {}: cannot write the manual pages: {e}",
                dir.display()
            );
            EXIT_ERROR
        }
    }
}

fn use_color(when: ColorWhen, terminal: bool) -> bool {
    color_choice(when, terminal, &|name| {
        std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
    })
}

/// Whether to colour a stream: the flag wins; with `auto`, `NO_COLOR`
/// turns colour off, `CLICOLOR_FORCE` or `FORCE_COLOR` turn it on, and
/// `CLICOLOR=0` turns it off; else a terminal (not `TERM=dumb`) gets colour.
pub(crate) fn color_choice(
    when: ColorWhen,
    terminal: bool,
    env: &dyn Fn(&str) -> Option<String>,
) -> bool {
    let set = |name: &str| env(name).filter(|v| !v.is_empty());
    let on = |name: &str| set(name).is_some_and(|v| v != "0" && v != "false");
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            if set("NO_COLOR").is_some() {
                false
            } else if on("CLICOLOR_FORCE") || on("FORCE_COLOR") {
                true
            } else if set("CLICOLOR").as_deref() == Some("0") {
                false
            } else {
                terminal && set("TERM").as_deref() != Some("dumb")
            }
        }
    }
}

/// Loads the rules for the `rules` commands, which need every file to
/// load: on failure, renders every problem to stderr and gives exit code 2.
fn load_rules(dirs: &[PathBuf], color: bool) -> Result<LoadedRules, u8> {
    match linter::load_rules(dirs, false) {
        Ok((rules, _)) => Ok(rules),
        Err(problems) => {
            let _ = write_problems(&problems, color, &mut std::io::stderr().lock());
            Err(EXIT_ERROR)
        }
    }
}
