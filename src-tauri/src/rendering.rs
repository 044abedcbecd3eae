//! How WebKit draws the window. On a machine without a GPU (no DRM render node: virtual
//! machines, remote desktops, CI), WebKit's GPU path runs on Mesa's software emulation of one
//! (llvmpipe), which compiles each of Skia's shaders with LLVM and keeps GPU-sized buffers: there
//! WebKit's CPU path draws the same pixels with less memory (`bash bench/app.sh`; figures in
//! the launch issue's note). A machine with a GPU keeps the GPU path; a
//! `WEBKIT_SKIA_ENABLE_CPU_RENDERING` already set is left as it is.

const CPU_RENDERING: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";

/// Chooses before anything else starts (WebKit's processes inherit the environment); says
/// which way was chosen, for the log.
pub fn choose() -> &'static str {
    if std::env::var_os(CPU_RENDERING).is_some() {
        return "as the environment sets it";
    }
    if has_render_node() {
        return "GPU";
    }
    // Start-up, before any thread that reads the environment exists.
    std::env::set_var(CPU_RENDERING, "1");
    "CPU (no GPU render node)"
}

fn has_render_node() -> bool {
    std::fs::read_dir("/dev/dri").is_ok_and(|dir| {
        dir.flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}
