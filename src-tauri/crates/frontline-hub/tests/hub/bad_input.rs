//! What a desktop hears when the hub cannot be used: each a clear error a person can act on.
use frontline_hub::{Hub, HubError};

use crate::{free_port, TestHub};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_connection_problems_are_named() {
    let hub = TestHub::new().await;

    let mut wrong = hub.config("ana");
    wrong.password = "not it".into();
    let e = Hub::connect(wrong).await.err().expect("refused");
    assert_eq!(e, HubError::WrongPassword { user: "ana".into() });
    assert!(
        e.to_string().contains("Check the user name and password"),
        "{e}"
    );

    let mut away = hub.config("ana");
    away.port = free_port();
    let e = Hub::connect(away).await.err().expect("unreachable");
    assert!(matches!(e, HubError::Unreachable { .. }), "{e:?}");
    assert!(e.is_transient());
    assert!(
        e.to_string().contains("Work goes on on this desktop"),
        "{e}"
    );

    // A hub at an address that is not this machine's loopback must offer TLS: this one (the
    // test server, reached through 127.0.0.2, which the connection treats as any other host)
    // does not, and the password is never sent in the clear.
    let mut far = hub.config("ana");
    far.host = "127.0.0.2".into();
    let e = Hub::connect(far)
        .await
        .err()
        .expect("no TLS, no connection");
    assert!(matches!(e, HubError::Tls { .. }), "{e:?}");
    assert!(e.to_string().contains("must offer TLS"), "{e}");

    // A login that exists on the server but is not in the team.
    let admin = hub.admin().await;
    admin
        .batch_execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'visitor') THEN CREATE ROLE visitor LOGIN PASSWORD 'correct horse battery staple'; END IF; END $$;")
        .await
        .unwrap();
    let e = Hub::connect(hub.config("visitor"))
        .await
        .err()
        .expect("not a member");
    assert!(
        matches!(
            e,
            HubError::NotMember { .. } | HubError::Refused(_) | HubError::NotSetUp { .. }
        ),
        "{e:?}"
    );

    // A hub set up by a newer Frontline.
    admin
        .batch_execute("UPDATE frontline.hub_meta SET value = '99' WHERE key = 'schema_version'")
        .await
        .unwrap();
    let e = Hub::connect(hub.config("ana")).await.err().expect("newer");
    assert_eq!(
        e,
        HubError::NewerHub {
            found: 99,
            supported: frontline_hub::schema::VERSION
        }
    );
    assert!(
        e.to_string().contains("Update Frontline on this desktop"),
        "{e}"
    );
}
