//! The window's size, position and maximized state, kept across restarts by
//! tauri-plugin-window-state (the official Tauri plugin: it restores the state before
//! the window is shown, so nothing jumps). The plugin writes its file on a clean exit
//! only; a window may also end by a crash or a kill (and the end-to-end tests end it
//! so), so the state is also written once a move or resize has settled.
//!
//! That write runs on the main thread, never on the timer thread: the plugin's
//! `save_window_state` holds its state lock while it asks the window for its size,
//! which from another thread is a round trip to the main thread; a resize arriving
//! meanwhile makes the main thread wait for that same lock in the plugin's own event
//! handler, and the app froze for good (tauri-apps/plugins-workspace#3594). On the main
//! thread the window answers in place and no event handler can run in between.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use tauri::plugin::TauriPlugin;
use tauri::{Manager, WebviewWindow, WindowEvent, Wry};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// What is kept: not visibility or decorations, which the app always sets itself.
const FLAGS: StateFlags = StateFlags::SIZE
    .union(StateFlags::POSITION)
    .union(StateFlags::MAXIMIZED);

/// How long moves and resizes must stop before the state is written.
const SETTLE: Duration = Duration::from_millis(500);

/// The plugin, restoring and saving [`FLAGS`].
pub(crate) fn plugin() -> TauriPlugin<Wry> {
    tauri_plugin_window_state::Builder::default()
        .with_state_flags(FLAGS)
        .build()
}

/// Writes the window's state once a move or resize has settled: a named thread waits
/// for the moves to stop, then hands the write to the main thread (see the module doc).
pub(crate) fn save_when_settled(window: &WebviewWindow) {
    let (tx, rx) = mpsc::channel::<()>();
    let app = window.app_handle().clone();
    let saver = std::thread::Builder::new()
        .name("lectern-window-state".into())
        .spawn(move || {
            while rx.recv().is_ok() {
                loop {
                    match rx.recv_timeout(SETTLE) {
                        Ok(()) => continue,
                        Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
                let on_main = app.clone();
                let handed = app.run_on_main_thread(move || {
                    if let Err(e) = on_main.save_window_state(FLAGS) {
                        eprintln!("lectern-app: the window's size and place were not saved: {e}");
                    }
                });
                if handed.is_err() {
                    // The event loop has ended: the app is quitting, and the plugin
                    // writes the state on a clean exit itself.
                    return;
                }
            }
        });
    if let Err(e) = saver {
        eprintln!("lectern-app: the window's size and place are saved on exit only: {e}");
        return;
    }
    window.on_window_event(move |e| {
        if matches!(e, WindowEvent::Resized(_) | WindowEvent::Moved(_)) {
            let _ = tx.send(());
        }
    });
}
