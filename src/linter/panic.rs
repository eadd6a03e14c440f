//! Panic isolation: a panic while linting one file becomes that file's
//! internal error, with where it happened, instead of the run's end.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// `Some("")` while `catch` runs on this thread; the hook fills it in.
    static PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `f`, turning a panic into its message (with where it happened).
/// A panic elsewhere still reaches the previous hook, so it prints as usual.
pub(super) fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".to_owned());
            let at = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let captured = PANIC.with(|p| {
                let mut p = p.borrow_mut();
                let was_armed = p.as_deref() == Some("");
                if was_armed {
                    *p = Some(format!("{message}{at}"));
                }
                was_armed
            });
            if !captured {
                default(info);
            }
        }));
    });
    PANIC.with(|p| *p.borrow_mut() = Some(String::new()));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    let message = PANIC.with(|p| p.borrow_mut().take());
    result.map_err(|_| {
        message
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| "panic".to_owned())
    })
}
