//! The shell splitter on every RUN body of ../shared/corpus: the share of
//! scripts it reads without error must be at least 99.98 %.

mod common;

use shipshape::model::Model;
use shipshape::shell;
use shipshape::syntax::{self, InstructionKind};

#[test]
fn run_bodies_split_without_error() {
    let Some(files) = common::corpus_files() else {
        return;
    };
    let (mut scripts, mut failed, mut commands, mut bytes) = (0usize, 0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    for path in &files {
        let text = common::read_text(path);
        let file = syntax::parse(&text);
        let model = Model::new(&file, None);
        for (i, inst) in file.instructions.iter().enumerate() {
            let run = match inst.kind {
                InstructionKind::Run => inst,
                InstructionKind::Onbuild => match inst.trigger() {
                    Some(t) if t.kind == InstructionKind::Run => t,
                    _ => continue,
                },
                _ => continue,
            };
            if matches!(run.args, syntax::Arguments::Exec(_)) {
                continue;
            }
            if model.shell_of[i] != shell::Dialect::Posix {
                continue;
            }
            for script in shell::scripts_of(run, shell::Dialect::Posix) {
                scripts += 1;
                commands += script.commands.len();
                bytes += run.span.len() as usize;
                if let Some(e) = &script.error {
                    failed += 1;
                    let (line, _) = file.line_range(e.span);
                    failures.push(format!(
                        "{}:{line}: {}",
                        path.file_name().unwrap().to_string_lossy(),
                        e.message
                    ));
                }
            }
        }
    }
    let share = 100.0 * (scripts - failed) as f64 / scripts as f64;
    eprintln!(
        "{scripts} RUN scripts ({:.1} MB), {commands} commands; {failed} with errors; {share:.3} % read without error",
        bytes as f64 / 1e6
    );
    for f in &failures {
        eprintln!("  {f}");
    }
    assert!(
        share >= 99.98,
        "only {share:.3} % of RUN scripts read without error"
    );
}
