//! A program in a pseudo-terminal: its screen read back through a terminal emulator,
//! its output drained on a thread so that it never blocks, every wait bounded.

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long any one thing may take to appear on the screen.
pub const WAIT: Duration = Duration::from_secs(10);
pub const POLL: Duration = Duration::from_millis(50);

/// What the program has written to the terminal: the emulated screen and the raw bytes.
pub struct Output {
    pub parser: vt100::Parser,
    pub raw: Vec<u8>,
}

/// A program running in a pseudo-terminal. Dropping it kills the process, so a failed
/// test never leaves it behind.
pub struct Term {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    pub output: Arc<Mutex<Output>>,
    /// How long a wait lasts before it fails.
    pub wait: Duration,
}

impl Term {
    /// Starts `cmd` in a terminal of `cols` × `rows`.
    pub fn spawn(cmd: CommandBuilder, cols: u16, rows: u16) -> Term {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let child = pair.slave.spawn_command(cmd).expect("the program starts");
        // Only the child holds the terminal side now, so reads end when it exits.
        drop(pair.slave);
        let output = Arc::new(Mutex::new(Output {
            parser: vt100::Parser::new(cells(rows), cells(cols), 0),
            raw: Vec::new(),
        }));
        let mut reader = pair.master.try_clone_reader().expect("a reader");
        let sink = Arc::clone(&output);
        // Drain the terminal continuously so the program never blocks on a full buffer.
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let mut out = lock(&sink);
                        out.parser.process(&buf[..n]);
                        out.raw.extend_from_slice(&buf[..n]);
                    }
                }
            }
        });
        let writer = pair.master.take_writer().expect("a writer");
        Term {
            child,
            master: pair.master,
            writer,
            output,
            wait: WAIT,
        }
    }

    /// The text on the screen now.
    pub fn screen(&self) -> String {
        lock(&self.output).parser.screen().contents()
    }

    /// Waits until the screen shows every one of `texts`; panics with the screen if it
    /// does not in time.
    pub fn wait_for_all(&self, texts: &[&str]) {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if texts.iter().all(|t| screen.contains(t)) {
                return;
            }
            if start.elapsed() > self.wait {
                let missing: Vec<&&str> = texts.iter().filter(|t| !screen.contains(**t)).collect();
                panic!(
                    "waited {:?} for {missing:?}; the screen shows:\n{screen}",
                    self.wait
                );
            }
            std::thread::sleep(POLL);
        }
    }

    pub fn wait_for(&self, text: &str) {
        self.wait_for_all(&[text]);
    }

    /// Types keys (text, or the escape sequences of special keys).
    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("keys sent");
        self.writer.flush().expect("keys sent");
    }

    /// Escape, then a pause so the next key is not read as Alt-key.
    pub fn esc(&mut self) {
        self.send("\x1b");
        std::thread::sleep(Duration::from_millis(100));
    }

    pub fn resize(&self, cols: u16, rows: u16) {
        lock(&self.output)
            .parser
            .screen_mut()
            .set_size(cells(rows), cells(cols));
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("the terminal resizes");
    }

    /// Waits for the program to exit; returns whether it exited successfully.
    pub fn wait_exit(&mut self) -> bool {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("the child's status") {
                return status.success();
            }
            if start.elapsed() > self.wait {
                panic!(
                    "the program did not exit within {:?}; the screen shows:\n{}",
                    self.wait,
                    self.screen()
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits until the raw output contains `bytes`.
    pub fn wait_for_bytes(&self, bytes: &[u8]) {
        let start = Instant::now();
        while !contains(&lock(&self.output).raw, bytes) {
            if start.elapsed() > self.wait {
                panic!(
                    "the output never contained {:?}",
                    String::from_utf8_lossy(bytes)
                );
            }
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Locks even after a panic elsewhere poisoned the lock: the screen is still useful.
pub fn lock(output: &Mutex<Output>) -> MutexGuard<'_, Output> {
    output.lock().unwrap_or_else(|e| e.into_inner())
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

pub fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// A terminal's rows or columns as the emulator takes them (never none).
fn cells(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("a terminal has rows and columns")
}
