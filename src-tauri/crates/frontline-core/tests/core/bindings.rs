//! The UI's TypeScript types are generated from the Rust ones; the committed file must match.
use std::path::PathBuf;

#[test]
fn bindings_are_up_to_date() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../ui/src/shared/bindings.ts");
    let fresh = frontline_core::bindings::typescript();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &fresh).expect("write bindings");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "ui/src/shared/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p frontline-core --test core bindings` and commit it"
    );
}
