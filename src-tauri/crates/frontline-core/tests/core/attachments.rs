//! Attachments: stored by content under the data folder, metadata in SQLite, in the timeline.
use frontline_core::model::EventBody;
use frontline_core::{Error, Frontline};
use sha2::{Digest, Sha256};

use crate::support::{host, settings};

#[test]
fn a_file_is_stored_by_its_hash_and_listed_on_the_issue() {
    let h = host();
    let c = h.client("Acme");
    let id = h.issue(&c, "Broken chart").issue.id;
    let src = h.dir.path().join("chart screenshot.png");
    let content = b"\x89PNG\r\n\x1a\n pretend pixels".to_vec();
    std::fs::write(&src, &content).unwrap();

    let a = h.app.attach_file(&id, &src).unwrap();
    let hash = hex::encode(Sha256::digest(&content));
    assert_eq!(a.sha256, hash);
    assert_eq!(a.file_name, "chart screenshot.png");
    assert_eq!(a.media_type, "image/png");
    assert_eq!(a.size, content.len() as i64);
    let stored = h
        .dir
        .path()
        .join("attachments")
        .join(&hash[..2])
        .join(&hash);
    assert_eq!(std::fs::read(&stored).unwrap(), content);
    let (_, path) = h.app.attachment_path(&a.id).unwrap();
    assert_eq!(path, stored);

    let d = h.app.issue(&id).unwrap();
    assert_eq!(d.attachments, vec![a.clone()]);
    assert!(d.events.iter().any(|e| matches!(&e.body, EventBody::AttachmentAdded { file_name, .. } if file_name == "chart screenshot.png")));
}

#[test]
fn the_same_content_twice_is_stored_once() {
    let h = host();
    let c = h.client("Acme");
    let one = h.issue(&c, "One").issue.id;
    let two = h.issue(&c, "Two").issue.id;
    let a = h.app.attach_bytes(&one, "shot.png", b"same bytes").unwrap();
    let b = h
        .app
        .attach_bytes(&two, "other-name.png", b"same bytes")
        .unwrap();
    assert_eq!(a.sha256, b.sha256);
    assert_ne!(a.id, b.id);
    let dir = h.dir.path().join("attachments").join(&a.sha256[..2]);
    assert_eq!(std::fs::read_dir(dir).unwrap().count(), 1);
    let leftovers: Vec<_> = std::fs::read_dir(h.dir.path().join("attachments"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".incoming"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left behind");
}

#[test]
fn a_file_over_the_limit_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = settings(&dir);
    s.attachment_limit = 1024;
    let app = Frontline::open(s, std::sync::Arc::new(frontline_core::SystemClock)).unwrap();
    let c = app
        .create_client(frontline_core::model::NewClient {
            name: "Acme".into(),
            contact: String::new(),
        })
        .unwrap();
    let id = app
        .create_issue(crate::support::new_issue(&c, "Big"))
        .unwrap()
        .issue
        .id;
    let big = dir.path().join("huge.log");
    std::fs::write(&big, vec![b'x'; 4096]).unwrap();

    let err = app.attach_file(&id, &big).unwrap_err();
    assert!(matches!(err, Error::AttachmentTooLarge { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("huge.log is 4 KB; attachments may be at most 1 KB."),
        "{err}"
    );
    let err = app
        .attach_bytes(&id, "paste.png", &[0u8; 2048])
        .unwrap_err();
    assert!(matches!(err, Error::AttachmentTooLarge { .. }));
    assert!(app.issue(&id).unwrap().attachments.is_empty());
    let store = dir.path().join("attachments");
    assert!(!store.exists() || std::fs::read_dir(store).unwrap().count() == 0);
}

#[test]
fn the_default_limit_is_50_mb() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(settings(&dir).attachment_limit, 50 * 1024 * 1024);
}

#[test]
fn a_missing_or_unreadable_file_gets_a_clear_error() {
    let h = host();
    let c = h.client("Acme");
    let id = h.issue(&c, "Broken chart").issue.id;
    let missing = h.dir.path().join("nope.png");
    let msg = h.app.attach_file(&id, &missing).unwrap_err().to_string();
    assert!(
        msg.starts_with("Could not read ") && msg.contains("nope.png"),
        "{msg}"
    );

    let folder = h.dir.path().join("a-folder");
    std::fs::create_dir(&folder).unwrap();
    let msg = h.app.attach_file(&id, &folder).unwrap_err().to_string();
    assert!(msg.contains("it is a folder, not a file"), "{msg}");

    // A file the system refuses to read even for root: reading it fails with an I/O error.
    #[cfg(target_os = "linux")]
    {
        let msg = h
            .app
            .attach_file(&id, std::path::Path::new("/proc/self/mem"))
            .unwrap_err()
            .to_string();
        assert!(msg.starts_with("Could not read /proc/self/mem"), "{msg}");
    }
    assert!(h.app.issue(&id).unwrap().attachments.is_empty());
}

#[test]
fn attaching_to_a_missing_issue_is_refused() {
    let h = host();
    let err = h.app.attach_bytes("0190-none", "a.png", b"x").unwrap_err();
    assert!(
        matches!(err, Error::NotFound { what: "Issue", .. }),
        "{err:?}"
    );
}
