//! The real binary in a pseudo-terminal, its screen read back through a terminal emulator.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::os::fd::{AsFd, FromRawFd};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// How long to wait for the screen to show something before failing the test.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// A running abstriage in a pseudo-terminal.
pub struct Pty {
    child: Box<dyn Child + Send + Sync>,
    /// `None` once hung up.
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Box<dyn Write + Send>>,
    /// Tells the reader thread to stop (and close its end).
    stop: Arc<AtomicBool>,
    /// Set by the reader thread when it has read everything (the program's end closed).
    drained: Arc<AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote to the terminal.
    pub raw: Arc<Mutex<Vec<u8>>>,
}

impl Pty {
    /// Starts the abstriage binary with `args` in `cwd` on a `cols` x `rows` terminal, with the
    /// built-in configuration only.
    pub fn spawn(args: &[&str], cwd: &Path, cols: u16, rows: u16) -> Pty {
        Self::spawn_program(
            Path::new(env!("CARGO_BIN_EXE_abstriage")),
            args,
            cwd,
            cols,
            rows,
        )
    }

    /// Starts abstriage as `cargo run` does: with `CARGO_MANIFEST_DIR` naming the source tree
    /// (wherever the target directory is).
    pub fn spawn_as_cargo_run(args: &[&str], cwd: &Path, cols: u16, rows: u16) -> Pty {
        let program = Path::new(env!("CARGO_BIN_EXE_abstriage"));
        Self::start(
            program,
            args,
            cwd,
            cols,
            rows,
            Some(Path::new(env!("CARGO_MANIFEST_DIR"))),
        )
    }

    /// Starts `program` (an abstriage binary) like [`Pty::spawn`].
    pub fn spawn_program(program: &Path, args: &[&str], cwd: &Path, cols: u16, rows: u16) -> Pty {
        Self::start(program, args, cwd, cols, rows, None)
    }

    fn start(
        program: &Path,
        args: &[&str],
        cwd: &Path,
        cols: u16,
        rows: u16,
        manifest: Option<&Path>,
    ) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.cwd(cwd);
        cmd.env("TERM", "xterm-256color");
        // Never the user's load cache (large test corpora would be copied into it).
        cmd.env("ABSTRIAGE_CACHE", "off");
        cmd.env(
            "ABSTRIAGE_CONFIG",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/empty-config.toml"),
        );
        match manifest {
            Some(dir) => cmd.env("CARGO_MANIFEST_DIR", dir),
            None => cmd.env_remove("CARGO_MANIFEST_DIR"),
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        // The reader polls its own copy of the master's descriptor, so that it can stop and
        // close it: the terminal hangs up only when every copy is closed.
        let master_fd = pair
            .master
            .as_raw_fd()
            .expect("a unix pty has a descriptor");
        // SAFETY: `dup` returns a new descriptor that nothing else owns.
        let mut reader =
            unsafe { std::fs::File::from_raw_fd(nix::unistd::dup(master_fd).expect("dup")) };
        let writer = pair.master.take_writer().expect("writer");
        let size = |n: u16| NonZeroU16::new(n).expect("non-zero size");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(size(rows), size(cols), 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (parser_in, raw_in) = (Arc::clone(&parser), Arc::clone(&raw));
        let stop = Arc::new(AtomicBool::new(false));
        let stop_in = Arc::clone(&stop);
        let drained = Arc::new(AtomicBool::new(false));
        let drained_in = Arc::clone(&drained);
        let master = pair.master;
        let reader_thread = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while !stop_in.load(Ordering::SeqCst) {
                let mut fds = [PollFd::new(reader.as_fd(), PollFlags::POLLIN)];
                match poll(&mut fds, PollTimeout::from(20u8)) {
                    Ok(0) => continue,
                    Ok(_) => {}
                    Err(_) => break,
                }
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => {
                        drained_in.store(true, Ordering::SeqCst);
                        break;
                    }
                    Ok(n) => {
                        parser_in.lock().expect("parser").process(&buf[..n]);
                        raw_in.lock().expect("raw").extend_from_slice(&buf[..n]);
                    }
                }
            }
        });
        Pty {
            child,
            master: Some(master),
            writer: Some(writer),
            stop,
            drained,
            reader: Some(reader_thread),
            parser,
            raw,
        }
    }

    /// The screen's text now.
    pub fn screen(&self) -> String {
        self.parser.lock().expect("parser").screen().contents()
    }

    /// Waits until the screen contains `text`, returning the screen.
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "screen never showed {text:?}; it shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the screen contains every one of `texts` (a frame arrives in pieces, so
    /// one part showing does not mean another has), returning the screen.
    pub fn wait_for_all(&self, texts: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if texts.iter().all(|t| screen.contains(t)) {
                return screen;
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "screen never showed all of {texts:?}; it shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Types `keys` one by one, as a person would (`\n` is Enter, `\x1b` Esc).
    pub fn type_keys(&mut self, keys: &str) {
        for c in keys.chars() {
            let bytes = match c {
                '\n' => "\r".to_string(),
                c => c.to_string(),
            };
            let writer = self.writer.as_mut().expect("not hung up");
            writer.write_all(bytes.as_bytes()).expect("write");
            writer.flush().expect("flush");
            // A lone Esc is only read as Esc when nothing follows it at once.
            std::thread::sleep(Duration::from_millis(if c == '\x1b' { 150 } else { 40 }));
        }
    }

    /// Sends bytes as they are (escape sequences such as a bracketed paste).
    pub fn type_raw(&mut self, bytes: &str) {
        let writer = self.writer.as_mut().expect("not hung up");
        writer.write_all(bytes.as_bytes()).expect("write");
        writer.flush().expect("flush");
        std::thread::sleep(Duration::from_millis(100));
    }

    /// Sends bytes as they are, without waiting after them.
    pub fn type_raw_now(&mut self, bytes: &str) {
        let writer = self.writer.as_mut().expect("not hung up");
        writer.write_all(bytes.as_bytes()).expect("write");
        writer.flush().expect("flush");
    }

    /// Waits for the program to exit and returns whether it succeeded.
    pub fn wait_exit(&mut self) -> bool {
        self.wait_exit_code() == Some(0)
    }
}

impl Pty {
    /// The program's process id.
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("a child process has an id")
    }

    /// Sends `signal` (`KILL`, `TERM`, `HUP`, ...) to the program, as `kill -SIGNAL` does.
    pub fn signal(&self, signal: &str) {
        let status = std::process::Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.pid().to_string())
            .status()
            .expect("kill");
        assert!(status.success(), "kill -{signal} failed");
    }

    /// Waits for the program to exit and returns its exit code (`None`: killed by a signal).
    pub fn wait_exit_code(&mut self) -> Option<u32> {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                self.wait_drained();
                return status.signal().is_none().then(|| status.exit_code());
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "the program did not exit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Whether the terminal is as a shell expects it: main screen, cursor shown, bracketed
    /// paste off, and line editing and echo back on (the pseudo-terminal's own settings).
    /// Returns what is wrong otherwise.
    pub fn terminal_state_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        {
            let parser = self.parser.lock().expect("parser");
            let screen = parser.screen();
            if screen.alternate_screen() {
                problems.push("still on the alternate screen".to_string());
            }
            if screen.hide_cursor() {
                problems.push("cursor hidden".to_string());
            }
            if screen.bracketed_paste() {
                problems.push("bracketed paste still on".to_string());
            }
        }
        match self.master.as_ref().and_then(|m| m.get_termios()) {
            Some(termios) => {
                // Read through Debug, so the tests need no termios crate of their own.
                let flags = format!("{:?}", termios.local_flags);
                let set: Vec<&str> = flags.split(|c: char| !c.is_ascii_alphanumeric()).collect();
                for flag in ["ICANON", "ECHO"] {
                    if !set.contains(&flag) {
                        problems.push(format!("{flag} off (raw mode left on): {flags}"));
                    }
                }
            }
            None => problems.push("cannot read the terminal's settings".to_string()),
        }
        problems
    }
}

impl Pty {
    /// Closes the terminal, as a dropped SSH connection or a closed terminal window does: the
    /// program's terminal hangs up (it gets SIGHUP and its reads fail).
    pub fn hang_up(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(reader) = self.reader.take() {
            reader.join().expect("reader thread");
        }
        self.writer = None;
        self.master = None;
    }

    /// After the program exited: waits (up to 2 s) until its last bytes have been read into
    /// the screen, so what it wrote on its way out is seen.
    fn wait_drained(&self) {
        let start = Instant::now();
        while self.reader.is_some()
            && !self.drained.load(Ordering::SeqCst)
            && start.elapsed() < Duration::from_secs(2)
        {
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Whether the program has exited, without waiting.
    pub fn exited(&mut self) -> bool {
        self.child.try_wait().expect("try_wait").is_some()
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
