//! The window's size, position and maximized state, kept across restarts by
//! tauri-plugin-window-state (the official Tauri plugin: it restores the state before
//! the window is shown, so nothing jumps). The plugin writes its file on a clean exit
//! only; a window may also end by a crash or a kill (and the end-to-end tests end it
//! so), so the state is also written once a move or resize has settled.

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

/// Writes the window's state once a move or resize has settled, on a named thread.
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
                if let Err(e) = app.save_window_state(FLAGS) {
                    eprintln!("lectern-app: the window's size and place were not saved: {e}");
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
