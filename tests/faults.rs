//! Bad input and faults, through the built binary: every file-system fault
//! ends in a clear error naming the path and exit code 2, with every other
//! file still linted and reported; a panic while linting one file is that
//! file's internal error; nothing in a Dockerfile is executed or fetched.

mod common;

use common::{json, text, write_file};
use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BAD: &str = "FROM alpine:3.20\nRUN sudo true\n";

/// A scratch directory that an unprivileged user can enter.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

/// Whether this process runs as root (permissions would not stop it): the
/// owner of a file it just created.
fn running_as_root(dir: &Path) -> bool {
    let probe = dir.join(".probe");
    std::fs::write(&probe, "").unwrap();
    let root = std::fs::metadata(&probe).unwrap().uid() == 0;
    std::fs::remove_file(probe).unwrap();
    root
}

/// Whether `nobody` can reach and run `path`: every directory above it
/// searchable by others, and the file executable by others.
fn reachable_by_others(path: &Path) -> bool {
    let mode = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.mode());
    mode(path) & 0o001 != 0 && path.ancestors().skip(1).all(|d| mode(d) & 0o001 != 0)
}

/// The binary to run: the built one, or (as root, when `nobody` can't
/// reach it) a copy of it in a place that it can.
fn binary() -> &'static Path {
    static COPY: std::sync::OnceLock<(Option<tempfile::TempDir>, std::path::PathBuf)> =
        std::sync::OnceLock::new();
    let built = Path::new(env!("CARGO_BIN_EXE_shipshape"));
    let (_, path) = COPY.get_or_init(|| {
        if reachable_by_others(built) {
            return (None, built.to_path_buf());
        }
        let dir = scratch();
        let copy = dir.path().join("shipshape");
        std::fs::copy(built, &copy).unwrap();
        std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).unwrap();
        (Some(dir), copy)
    });
    path
}

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(binary());
    cmd.args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // As root, permissions don't apply: run as `nobody` so they do.
    if running_as_root(dir) {
        cmd.uid(65534).gid(65534);
    }
    cmd
}

/// Waits for the child, killing it after `limit` (a hang is a failure).
/// Its output is read as it comes, so that a full pipe can't stall it.
fn finish(mut child: Child, limit: Duration) -> Output {
    fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    }
    let (stdout, stderr) = (drain(child.stdout.take()), drain(child.stderr.take()));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "shipshape did not finish within {limit:?}\nstdout:\n{}\nstderr:\n{}",
                text(&stdout.join().unwrap()),
                text(&stderr.join().unwrap())
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

fn run(dir: &Path, args: &[&str]) -> Output {
    finish(
        command(dir, args).spawn().expect("the binary runs"),
        Duration::from_secs(60),
    )
}

/// The linted paths (with or without findings) and the `(path, message)`
/// errors of a JSON report.
fn linted_and_errors(out: &Output) -> (Vec<String>, Vec<(String, String)>) {
    let doc = json(out);
    let mut linted: Vec<String> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_owned())
        .collect();
    linted.dedup();
    let errors = doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_owned(),
                e["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (linted, errors)
}

/// Lints the directory (JSON) and checks: exit code 2, the good files
/// reported, and exactly one error, for `culprit`, containing `message`.
fn assert_fault(dir: &Path, culprit: &str, message: &str) {
    let out = run(dir, &["lint", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let (linted, errors) = linted_and_errors(&out);
    assert_eq!(
        linted,
        ["a/Dockerfile", "z/Dockerfile"],
        "{}",
        text(&out.stdout)
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, culprit, "{errors:?}");
    assert!(errors[0].1.contains(message), "{errors:?}");
    // The human format names the path on stderr and still reports the rest.
    let out = run(dir, &["lint", "--color", "never", "."]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains(&format!("error: {culprit}: ")), "{err}");
    let shown = text(&out.stdout);
    assert!(
        shown.contains("a/Dockerfile:2:5") && shown.contains("z/Dockerfile:2:5"),
        "{shown}"
    );
    assert!(shown.contains("1 file could not be linted."), "{shown}");
}

/// `a/Dockerfile` and `z/Dockerfile`, around whatever the test adds.
fn around() -> tempfile::TempDir {
    let dir = scratch();
    write_file(dir.path(), "a/Dockerfile", BAD);
    write_file(dir.path(), "z/Dockerfile", BAD);
    for sub in ["a", "z"] {
        std::fs::set_permissions(dir.path().join(sub), std::fs::Permissions::from_mode(0o755))
            .unwrap();
    }
    dir
}

#[test]
fn an_unreadable_file() {
    let dir = around();
    write_file(dir.path(), "m/Dockerfile", BAD);
    std::fs::set_permissions(dir.path().join("m"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let locked = dir.path().join("m/Dockerfile");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    assert_fault(dir.path(), "m/Dockerfile", "cannot read: Permission denied");
}

#[test]
fn an_unreadable_directory() {
    let dir = around();
    write_file(dir.path(), "m/Dockerfile", BAD);
    std::fs::set_permissions(dir.path().join("m"), std::fs::Permissions::from_mode(0o000)).unwrap();
    assert_fault(dir.path(), "m", "Permission denied");
}

#[test]
fn a_broken_symlink() {
    let dir = around();
    std::fs::create_dir(dir.path().join("m")).unwrap();
    symlink("gone/Dockerfile", dir.path().join("m/Dockerfile")).unwrap();
    assert_fault(dir.path(), "m/Dockerfile", "No such file or directory");
}

#[test]
fn a_symlink_loop() {
    let dir = around();
    std::fs::create_dir(dir.path().join("m")).unwrap();
    symlink("Dockerfile", dir.path().join("m/Dockerfile")).unwrap();
    // A directory link back up is not followed, so it is no loop.
    symlink("..", dir.path().join("a/up")).unwrap();
    assert_fault(
        dir.path(),
        "m/Dockerfile",
        "Too many levels of symbolic links",
    );
}

#[test]
fn a_fifo_named_dockerfile_does_not_block() {
    let dir = around();
    std::fs::create_dir(dir.path().join("m")).unwrap();
    let made = Command::new("mkfifo")
        .arg(dir.path().join("m/Dockerfile"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    assert_fault(dir.path(), "m/Dockerfile", "not a regular file (a FIFO)");
}

#[test]
fn a_device_named_dockerfile_does_not_block() {
    let dir = around();
    std::fs::create_dir(dir.path().join("m")).unwrap();
    // /dev/zero never ends; /dev/tty-like devices would block.
    symlink("/dev/zero", dir.path().join("m/Dockerfile")).unwrap();
    assert_fault(
        dir.path(),
        "m/Dockerfile",
        "not a regular file (a character device)",
    );
}

#[test]
fn a_file_over_the_size_cap() {
    let dir = around();
    write_file(dir.path(), "m/Dockerfile", &"# padding\n".repeat(300));
    std::fs::set_permissions(dir.path().join("m"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = run(
        dir.path(),
        &["lint", "--format", "json", "--max-file-size", "2K", "."],
    );
    assert_eq!(out.status.code(), Some(2));
    let (linted, errors) = linted_and_errors(&out);
    assert_eq!(linted, ["a/Dockerfile", "z/Dockerfile"]);
    assert_eq!(
        errors,
        [(
            "m/Dockerfile".to_owned(),
            "file too large (3000 bytes; --max-file-size is 2048 bytes), not read".to_owned()
        )]
    );
    // The default cap is 64 MiB (a sparse file: no disk is used).
    let big = std::fs::File::create(dir.path().join("m/Dockerfile")).unwrap();
    big.set_len((64 << 20) + 1).unwrap();
    assert_fault(
        dir.path(),
        "m/Dockerfile",
        "--max-file-size is 67108864 bytes",
    );
    // Stdin has the same cap.
    let mut child = command(
        dir.path(),
        &["lint", "--format", "json", "--max-file-size", "100", "-"],
    )
    .stdin(Stdio::piped())
    .spawn()
    .unwrap();
    let _ = child.stdin.take().unwrap().write_all(&[b'#'; 4096]);
    let out = finish(child, Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(2));
    let (_, errors) = linted_and_errors(&out);
    assert_eq!(errors[0].0, "<stdin>");
    assert!(errors[0].1.contains("file too large"), "{errors:?}");
    // Bad sizes are usage errors.
    let out = run(dir.path(), &["lint", "--max-file-size", "12Q", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("`Q` is not a size unit"));
}

/// Whether the process is blocked reading its stdin (Linux: the syscall
/// it sleeps in is `read` on fd 0).
fn reading_stdin(pid: u32) -> Option<bool> {
    let mut s = String::new();
    std::fs::File::open(format!("/proc/{pid}/syscall"))
        .ok()?
        .read_to_string(&mut s)
        .ok()?;
    let mut fields = s.split_whitespace();
    let (nr, fd) = (fields.next()?, fields.next()?);
    // x86_64 read is 0, aarch64 read is 63.
    Some((nr == "0" || nr == "63") && fd == "0x0")
}

#[test]
fn a_file_removed_during_the_run() {
    // `lint - DIR` finds DIR's files, then reads stdin, then lints: a file
    // removed while stdin is read has been found but is gone when read.
    let dir = around();
    write_file(dir.path(), "m/Dockerfile", BAD);
    let mut child = command(dir.path(), &["lint", "--format", "json", "-", "."])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        match reading_stdin(child.id()) {
            Some(true) => break,
            Some(false) if start.elapsed() < Duration::from_secs(30) => {
                std::thread::sleep(Duration::from_millis(10))
            }
            // No /proc/PID/syscall: give discovery ample time.
            _ => {
                std::thread::sleep(Duration::from_secs(3));
                break;
            }
        }
    }
    std::fs::remove_file(dir.path().join("m/Dockerfile")).unwrap();
    let _ = child.stdin.take().unwrap().write_all(BAD.as_bytes());
    let out = finish(child, Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let (linted, errors) = linted_and_errors(&out);
    assert_eq!(linted, ["<stdin>", "a/Dockerfile", "z/Dockerfile"]);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "m/Dockerfile");
    assert!(
        errors[0].1.contains("No such file or directory"),
        "{errors:?}"
    );
}

#[test]
fn a_panic_in_one_file_is_that_files_internal_error() {
    if !cfg!(debug_assertions) {
        eprintln!("skipped: the `test-panic` native rule exists only in debug builds");
        return;
    }
    let dir = around();
    write_file(
        dir.path(),
        "m/Dockerfile",
        "FROM alpine:3.20\nLABEL x=shipshape-test-panic\n",
    );
    // A copy, so that an unprivileged run can read it wherever the
    // repository is.
    let rule = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules/test-panic/panic.toml");
    write_file(
        dir.path(),
        "rules/panic.toml",
        &std::fs::read_to_string(rule).unwrap(),
    );
    std::fs::set_permissions(
        dir.path().join("rules"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let rules = dir.path().join("rules").display().to_string();
    let out = run(
        dir.path(),
        &["lint", "--format", "json", "--rules", &rules, "."],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let (linted, errors) = linted_and_errors(&out);
    assert_eq!(linted, ["a/Dockerfile", "z/Dockerfile"]);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "m/Dockerfile");
    assert!(
        errors[0]
            .1
            .contains("internal error while linting this file")
            && errors[0]
                .1
                .contains("test-panic: the file asked for a panic"),
        "{errors:?}"
    );
    // Nothing of the panic reaches stderr in JSON mode but the error itself.
    assert!(
        !text(&out.stderr).contains("panicked at"),
        "{}",
        text(&out.stderr)
    );

    // Stdin too.
    let mut child = command(
        dir.path(),
        &["lint", "--color", "never", "--rules", &rules, "-"],
    )
    .stdin(Stdio::piped())
    .spawn()
    .unwrap();
    let _ = child
        .stdin
        .take()
        .unwrap()
        .write_all(b"FROM alpine:3.20\n# shipshape-test-panic\n");
    let out = finish(child, Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("error: <stdin>: internal error while linting this file"),
        "{}",
        text(&out.stderr)
    );
}

/// Nothing in a Dockerfile is executed or fetched: RUN steps, `# syntax=`
/// frontends, ADD URLs, `--mount=type=secret` and heredocs stay text.
#[test]
fn untrusted_content_stays_data() {
    let dir = scratch();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let marker = dir.path().join("executed");
    let dockerfile = format!(
        "# syntax=http://127.0.0.1:{port}/frontend\n\
         FROM 127.0.0.1:{port}/base:1.0\n\
         ADD http://127.0.0.1:{port}/payload /payload\n\
         ADD git@127.0.0.1:{port}:repo.git /repo\n\
         RUN touch {m}\n\
         RUN <<EOF\ncurl http://127.0.0.1:{port}/x; touch {m}\nEOF\n\
         HEALTHCHECK CMD touch {m}\n\
         ONBUILD RUN touch {m}\n\
         CMD [\"/bin/sh\", \"-c\", \"touch {m}\"]\n",
        m = marker.display()
    );
    write_file(dir.path(), "Dockerfile", &dockerfile);
    let out = run(dir.path(), &["lint", "--format", "json", "Dockerfile"]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        text(&out.stderr)
    );
    assert!(!marker.exists(), "a command from the Dockerfile ran");
    match listener.accept() {
        Ok((_, peer)) => panic!("shipshape connected to the Dockerfile's URL (from {peer})"),
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::WouldBlock),
    }
}

/// A rule folder with broken entries: each is named on stderr, the run
/// exits 2, and the rules that could be read still lint.
#[test]
fn broken_entries_in_a_rule_folder() {
    let dir = around();
    write_file(
        dir.path(),
        "a/Dockerfile",
        "FROM debian:12-slim\nRUN apt-get -y upgrade\n",
    );
    let rules = dir.path().join("rules");
    std::fs::create_dir_all(rules.join("sub")).unwrap();
    let team = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules/team/packages.toml");
    std::fs::copy(team, rules.join("sub/packages.toml")).unwrap();
    std::fs::write(rules.join("locked.toml"), "schema = 1\n").unwrap();
    std::fs::set_permissions(
        rules.join("locked.toml"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    std::fs::write(rules.join("latin1.toml"), b"schema = 1\n# caf\xe9\n").unwrap();
    let made = Command::new("mkfifo")
        .arg(rules.join("fifo.toml"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    symlink("gone.toml", rules.join("dangling.toml")).unwrap();
    // Links back up and sideways: each folder is read once.
    symlink("..", rules.join("sub/up")).unwrap();
    symlink("sub", rules.join("again")).unwrap();
    for d in [&rules, &rules.join("sub")] {
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::set_permissions(
        rules.join("sub/packages.toml"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let folder = rules.display().to_string();
    let out = run(
        dir.path(),
        &[
            "lint",
            "--format",
            "json",
            "--rules",
            &folder,
            "a/Dockerfile",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    for (file, problem) in [
        ("locked.toml", "cannot read: Permission denied"),
        ("latin1.toml", "not valid UTF-8: byte 0xe9 at offset 16"),
        ("fifo.toml", "not a regular file (a FIFO)"),
        ("dangling.toml", "cannot read: No such file or directory"),
    ] {
        assert!(
            err.contains(&format!("{folder}/{file}: error: {problem}")),
            "{file}: {err}"
        );
    }
    assert!(
        !err.contains("already used"),
        "a folder was read twice: {err}"
    );
    let doc = json(&out);
    let rules_found: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(rules_found.contains(&"TEAM001"), "{rules_found:?}");
}

/// Settings files that are not text, not regular files, or built to
/// exhaust a parser: an error naming the file (with a span where there is
/// one), exit code 2, and the Dockerfile still linted with the defaults.
#[test]
fn hostile_settings_files() {
    let deep_toml = format!("select = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let deep_yaml = format!("ignored: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let mut laughs =
        String::from("a0: &a0 [DL3008, DL3008, DL3008, DL3008, DL3008, DL3008, DL3008, DL3008]\n");
    for i in 1..12 {
        let refs = vec![format!("*a{}", i - 1); 8].join(", ");
        laughs.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    laughs.push_str("ignored: *a11\n");
    let cases: [(&str, &[u8], &str); 4] = [
        (
            ".shipshape.toml",
            deep_toml.as_bytes(),
            "max recursion depth",
        ),
        (
            ".hadolint.yaml",
            deep_yaml.as_bytes(),
            "recursion limit exceeded",
        ),
        (".hadolint.yaml", laughs.as_bytes(), "billion-laughs"),
        (
            ".shipshape.toml",
            b"select = [\"\xff\"]\n",
            ".shipshape.toml: not valid UTF-8: byte 0xff at offset 11",
        ),
    ];
    for (name, body, message) in cases {
        let dir = scratch();
        write_file(dir.path(), "Dockerfile", BAD);
        std::fs::write(dir.path().join(name), body).unwrap();
        let start = Instant::now();
        let out = run(dir.path(), &["lint", "--color", "never", "Dockerfile"]);
        assert!(start.elapsed() < Duration::from_secs(20), "{message}: slow");
        assert_eq!(out.status.code(), Some(2), "{message}");
        let err = text(&out.stderr);
        assert!(err.contains(message), "{message}: {err}");
        // The 200 KB lines are shown cut down around the error.
        assert!(
            err.len() < 10_000,
            "{message}: {} bytes of errors",
            err.len()
        );
        assert!(
            text(&out.stdout).contains("SEC014"),
            "{message}: the Dockerfile was not linted"
        );
    }
    // `--config` naming a FIFO does not block.
    let dir = scratch();
    write_file(dir.path(), "Dockerfile", BAD);
    let made = Command::new("mkfifo")
        .arg(dir.path().join("settings.toml"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let out = run(
        dir.path(),
        &[
            "lint",
            "--color",
            "never",
            "--config",
            "settings.toml",
            "Dockerfile",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("settings.toml: not a regular file (a FIFO)"),
        "{err}"
    );
    assert!(text(&out.stdout).contains("SEC014"));
}
