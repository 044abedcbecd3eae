// As Frontline's queue: reported once the first frame has been laid out and painted (the task
// after the frame callback), not from the callback, which runs before that frame's paint.
requestAnimationFrame(() => setTimeout(() => window.__TAURI_INTERNALS__.invoke("ui_ready"), 0));
