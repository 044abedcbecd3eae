//! Commit order, not insert order: pushers whose transactions interleave and commit out of
//! their insert order, and a puller running throughout that must miss nothing.
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use uuid::Uuid;

use crate::TestHub;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_concurrent_pushers_committing_out_of_order_lose_nothing_for_a_puller() {
    const PUSHERS: usize = 6;
    const EACH: usize = 60;
    let hub = TestHub::new().await;
    let seed = fastrand::u64(..);
    eprintln!("hub order: seed {seed}");
    let done = Arc::new(Notify::new());

    // Each pusher opens a transaction, inserts, then holds it open a random while before
    // committing, so transactions begun in one order commit in another.
    let mut pushers = Vec::new();
    for p in 0..PUSHERS {
        let login = ["ana", "sam", "lee"][p % 3];
        let client = hub.raw(login).await;
        let mut rng = fastrand::Rng::with_seed(seed + p as u64);
        pushers.push(tokio::spawn(async move {
            let mut client = client;
            let mut ids = Vec::new();
            for n in 0..EACH {
                let id = Uuid::now_v7();
                let tx = client.transaction().await.expect("begin");
                tx.execute(
                    "INSERT INTO frontline.events (id, issue_id, author, kind, body, occurred_at)
                     VALUES ($1, $2, session_user, 'note', $3, now())",
                    &[
                        &id,
                        &Uuid::now_v7(),
                        &serde_json::json!({"text": format!("{p}/{n}")}),
                    ],
                )
                .await
                .expect("insert");
                tx.execute("SELECT pg_sleep($1)", &[&(rng.f64() * 0.004)])
                    .await
                    .expect("hold");
                tx.commit().await.expect("commit");
                ids.push(id);
            }
            ids
        }));
    }

    // The puller reads "after my cursor" the whole time, like a desktop would.
    let reader = hub.connect("lee").await;
    let stop = done.clone();
    let puller = tokio::spawn(async move {
        let mut cursor = 0;
        let mut seen = Vec::new();
        let mut finished = false;
        loop {
            let page = reader.pull(cursor, 50).await.expect("pull");
            let empty = page.is_empty();
            for (seq, event) in page {
                assert!(seq > cursor, "seq {seq} after cursor {cursor}");
                cursor = seq;
                seen.push(event.expect("readable").id);
            }
            if empty {
                if finished {
                    return seen;
                }
                tokio::select! {
                    _ = stop.notified() => finished = true,
                    _ = tokio::time::sleep(Duration::from_millis(2)) => {}
                }
            }
        }
    });

    let mut pushed = HashSet::new();
    for p in pushers {
        pushed.extend(p.await.expect("pusher"));
    }
    done.notify_one();
    let seen = puller.await.expect("puller");
    let unique: HashSet<_> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len(), "no event twice");
    let missed: Vec<_> = pushed.difference(&unique).collect();
    assert!(
        missed.is_empty(),
        "the puller missed {} of {} events (seed {seed})",
        missed.len(),
        pushed.len()
    );
    assert_eq!(pushed.len(), PUSHERS * EACH);
}

/// Pushing the same events again (a desktop that crashed before it recorded the push) adds
/// nothing: the event's id decides.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_pushing_the_same_events_twice_stores_them_once() {
    let hub = TestHub::new().await;
    let ana = hub.connect("ana").await;
    let issue = Uuid::now_v7();
    let events: Vec<_> = (0..5)
        .map(|n| crate::event("ana", issue, "note", serde_json::json!({ "text": n })))
        .collect();
    let first = ana.push(&events).await.expect("push");
    let again = ana.push(&events).await.expect("push again");
    assert_eq!(first.accepted.len(), 5);
    assert_eq!(again.accepted.len(), 5, "already there counts as accepted");
    let pulled = ana.pull(0, 100).await.expect("pull");
    assert_eq!(pulled.len(), 5, "each once");
    let order: Vec<_> = pulled
        .into_iter()
        .map(|(_, e)| e.expect("readable").id)
        .collect();
    assert_eq!(
        order,
        events.iter().map(|e| e.id).collect::<Vec<_>>(),
        "in push order"
    );
}

/// A push pokes every desktop listening, within a second when both are online; connecting is
/// a poke too (what was pushed while away is pulled at once).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_a_push_pokes_the_desktops_listening() {
    let hub = TestHub::new().await;
    let lee = hub.connect("lee").await;
    let ana = hub.connect("ana").await;
    let poke = Arc::new(Notify::new());
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let listener = {
        let (lee, poke) = (lee.clone(), poke.clone());
        tokio::spawn(async move { lee.listen(poke, stopped).await })
    };
    tokio::time::timeout(Duration::from_secs(30), poke.notified())
        .await
        .expect("connecting pokes");
    // Listening now (the poke above came after LISTEN): a push pokes again.
    let pushed = ana
        .push(&[crate::event(
            "ana",
            Uuid::now_v7(),
            "note",
            serde_json::json!({"text": "hello"}),
        )])
        .await
        .unwrap();
    assert_eq!(pushed.accepted.len(), 1);
    tokio::time::timeout(Duration::from_secs(30), poke.notified())
        .await
        .expect("the push poked the listener");
    assert_eq!(lee.pull(0, 10).await.unwrap().len(), 1);
    stop.send(true).unwrap();
    listener.await.unwrap();
}
