//! The IPC contract, read from the shell's own source: every `#[tauri::command]` function (its
//! name, the arguments the page passes and the result) and every event (`events.rs`). The
//! build script registers the commands from it (the permission list and the handler list), and
//! the contract test writes the page's `contract.ts` from it and checks the capability file,
//! so none of them is kept by hand.
//!
//! Shared by `build.rs` and `tests/contract.rs` with `#[path]`: std and syn only.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// One command as the page sees it.
pub struct Command {
    /// The Rust module path below the crate root (`commands::issues`).
    pub module: String,
    /// The function's name, which is the command's name.
    pub name: String,
    /// The arguments the page passes, by the name it passes them (camelCase, as Tauri
    /// renames them), with their Rust types.
    pub args: Vec<(String, syn::Type)>,
    /// The command reads its argument as the raw request body (bytes, with headers).
    pub raw_body: bool,
    /// What it returns on success; `None` for nothing.
    pub result: Option<syn::Type>,
}

/// One event: its name and its payload's Rust type.
pub struct Event {
    /// The Rust constant (`SYNC`).
    pub constant: String,
    /// The name the page listens to.
    pub name: String,
    /// The payload.
    pub payload: syn::Type,
}

/// The shell's sources that define commands: `src-tauri/src/**/*.rs`, in a fixed order.
pub fn sources(root: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root.join("src-tauri/src"), &mut out);
    out.sort();
    out
}

/// The module path of a source file below `src-tauri/src` (`commands/mod.rs` → `commands`).
fn module_of(root: &Path, file: &Path) -> String {
    let rel = file
        .strip_prefix(root.join("src-tauri/src"))
        .unwrap_or(file)
        .with_extension("");
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .filter(|p| p != "mod" && p != "lib")
        .collect();
    parts.join("::")
}

/// Every command of the shell, in source order (file by file).
pub fn commands(root: &Path) -> Result<Vec<Command>, String> {
    let mut out = Vec::new();
    for file in sources(root) {
        let text =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        if !text.contains("tauri::command") {
            continue;
        }
        let parsed = syn::parse_file(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        let module = module_of(root, &file);
        for item in parsed.items {
            let syn::Item::Fn(f) = item else { continue };
            if !f.attrs.iter().any(is_command_attr) {
                continue;
            }
            out.push(command(&module, &f).map_err(|e| format!("{}: {e}", file.display()))?);
        }
    }
    Ok(out)
}

fn is_command_attr(attr: &syn::Attribute) -> bool {
    let segments: Vec<String> = attr
        .path()
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    segments == ["tauri", "command"]
}

/// Arguments Tauri fills in itself, not the page.
const INJECTED: [&str; 6] = [
    "State",
    "AppHandle",
    "Window",
    "WebviewWindow",
    "Webview",
    "Request",
];

fn command(module: &str, f: &syn::ItemFn) -> Result<Command, String> {
    let name = f.sig.ident.to_string();
    let mut args = Vec::new();
    let mut raw_body = false;
    for input in &f.sig.inputs {
        let syn::FnArg::Typed(arg) = input else {
            return Err(format!("{name}: a command takes no self"));
        };
        let last = last_segment(&arg.ty);
        if last.as_deref() == Some("Request") {
            raw_body = true;
        }
        if last.as_deref().is_some_and(|l| INJECTED.contains(&l)) {
            continue;
        }
        let syn::Pat::Ident(ident) = &*arg.pat else {
            return Err(format!("{name}: an argument without a plain name"));
        };
        args.push((camel(&ident.ident.to_string()), (*arg.ty).clone()));
    }
    let result = match &f.sig.output {
        syn::ReturnType::Default => None,
        syn::ReturnType::Type(_, ty) => match generic(ty, "Result") {
            Some(ok) => Some(ok),
            None => Some((**ty).clone()),
        },
    }
    .filter(|t| !is_unit(t));
    Ok(Command {
        module: module.to_owned(),
        name,
        args,
        raw_body,
        result,
    })
}

/// Every `pub const NAME: Event<Payload> = Event::new("name");` in `src-tauri/src/events.rs`.
pub fn events(root: &Path) -> Result<Vec<Event>, String> {
    let file = root.join("src-tauri/src/events.rs");
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let parsed = syn::parse_file(&text).map_err(|e| format!("{}: {e}", file.display()))?;
    let mut out = Vec::new();
    for item in parsed.items {
        let syn::Item::Const(c) = item else { continue };
        let Some(payload) = generic(&c.ty, "Event") else {
            continue;
        };
        let name = match &*c.expr {
            syn::Expr::Call(call) => call.args.first().and_then(|a| match a {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            }),
            _ => None,
        }
        .ok_or_else(|| format!("events.rs: {} is not `Event::new(\"name\")`", c.ident))?;
        out.push(Event {
            constant: c.ident.to_string(),
            name,
            payload,
        });
    }
    Ok(out)
}

fn last_segment(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        syn::Type::Reference(r) => last_segment(&r.elem),
        _ => None,
    }
}

/// `T` of `Wrapper<T, …>` when `ty` is that wrapper.
fn generic(ty: &syn::Type, wrapper: &str) -> Option<syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}

fn is_unit(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Tuple(t) if t.elems.is_empty())
}

/// `issue_id` → `issueId`, as Tauri names command arguments for the page.
pub fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `attach_files` → `allow-attach-files`, the permission Tauri generates for a command.
pub fn permission(command: &str) -> String {
    format!("allow-{}", command.replace('_', "-"))
}

/// The TypeScript for a Rust type; named types are collected into `named` (they must be
/// exported by the generated bindings or declared beside the contract).
pub fn typescript(ty: &syn::Type, named: &mut Vec<String>) -> Result<String, String> {
    match ty {
        syn::Type::Reference(r) => typescript(&r.elem, named),
        syn::Type::Tuple(t) if t.elems.is_empty() => Ok("null".to_owned()),
        syn::Type::Path(p) => {
            let last = p
                .path
                .segments
                .last()
                .ok_or_else(|| "an empty type path".to_owned())?;
            let name = last.ident.to_string();
            let inner = |named: &mut Vec<String>| -> Result<String, String> {
                let t = generic(ty, &name).ok_or_else(|| format!("{name} without its type"))?;
                typescript(&t, named)
            };
            Ok(match name.as_str() {
                "String" | "str" | "PathBuf" | "Path" => "string".to_owned(),
                "bool" => "boolean".to_owned(),
                "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize"
                | "f32" | "f64" => "number".to_owned(),
                "Option" => format!("{} | null", inner(named)?),
                "Vec" => {
                    let t = inner(named)?;
                    if t.contains(' ') {
                        format!("({t})[]")
                    } else {
                        format!("{t}[]")
                    }
                }
                _ if last.arguments.is_empty() => {
                    if !named.contains(&name) {
                        named.push(name.clone());
                    }
                    name
                }
                _ => return Err(format!("no TypeScript for the generic type {name}")),
            })
        }
        _ => Err("no TypeScript for this kind of type".to_owned()),
    }
}

/// `contract.ts`: the `Commands` and `Events` types the page's calls are checked against.
/// `exported` are the names the generated bindings export; `local` declares the others.
pub fn contract_ts(
    commands: &[Command],
    events: &[Event],
    exported: &[String],
    local: &[(String, String)],
) -> Result<String, String> {
    let mut named = Vec::new();
    let mut body = String::new();
    body.push_str(
        "/** Every command the window may call: the arguments it passes (by name) and the result. */\n",
    );
    body.push_str("export interface Commands {\n");
    let mut sorted: Vec<&Command> = commands.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    for c in sorted {
        let args = if c.raw_body {
            "Uint8Array".to_owned()
        } else if c.args.is_empty() {
            "null".to_owned()
        } else {
            let fields: Result<Vec<String>, String> = c
                .args
                .iter()
                .map(|(n, t)| Ok(format!("{n}: {}", typescript(t, &mut named)?)))
                .collect();
            format!(
                "{{ {} }}",
                fields.map_err(|e| format!("{}: {e}", c.name))?.join("; ")
            )
        };
        let result = match &c.result {
            Some(t) => typescript(t, &mut named).map_err(|e| format!("{}: {e}", c.name))?,
            None => "null".to_owned(),
        };
        let raw = if c.raw_body { "; raw: true" } else { "" };
        body.push_str(&format!(
            "  {}: {{ args: {args}; result: {result}{raw} }};\n",
            c.name
        ));
    }
    body.push_str("}\n\n/** Every event the shell sends the window, with its payload. */\n");
    body.push_str("export interface Events {\n");
    let mut sorted: Vec<&Event> = events.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    for e in sorted {
        let payload =
            typescript(&e.payload, &mut named).map_err(|err| format!("{}: {err}", e.constant))?;
        body.push_str(&format!("  \"{}\": {payload};\n", e.name));
    }
    body.push_str("}\n");

    let mut imports: Vec<&String> = Vec::new();
    let mut declared = String::new();
    named.sort();
    for n in &named {
        if let Some((_, decl)) = local.iter().find(|(l, _)| l == n) {
            declared.push_str(&format!("export {decl}\n"));
        } else if exported.contains(n) {
            imports.push(n);
        } else {
            return Err(format!(
                "{n} crosses to the page but is neither in bindings.ts nor declared by the shell"
            ));
        }
    }
    let mut out = String::from(
        "// Generated from the shell's commands and events.rs by\n\
         // `UPDATE_BINDINGS=1 cargo test --test contract`; do not edit. The test fails when this\n\
         // file, the commands, the handler list or the capability disagree.\n",
    );
    if !imports.is_empty() {
        out.push_str(&format!(
            "import type {{ {} }} from \"./bindings\";\n",
            imports
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out.push('\n');
    out.push_str(&declared);
    if !declared.is_empty() {
        out.push('\n');
    }
    out.push_str(&body);
    Ok(out)
}

/// The handler list for `lib.rs` (`include!`d from the build's output folder).
pub fn handlers_rs(commands: &[Command]) -> String {
    let paths: Vec<String> = commands
        .iter()
        .map(|c| format!("    crate::{}::{},\n", c.module, c.name))
        .collect();
    format!(
        "// Generated by build.rs from the #[tauri::command] functions; do not edit.\n\
         tauri::generate_handler![\n{}]\n",
        paths.concat()
    )
}
