//! The service end to end: the real `ecommerce` binary started on a fresh database (it
//! migrates it), and a real HTTP client (hyper's) talking to it over TCP.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use retort_testkit::{db_test, BoxError, TestDb};
use serde_json::{json, Value};

/// The running service; killed when dropped. Its stderr is collected in `log`.
struct Server {
    child: Child,
    addr: SocketAddr,
    log: Arc<Mutex<String>>,
}

impl Server {
    /// Start `ecommerce --url <url> --listen 127.0.0.1:0` and wait for its "listening on"
    /// line; a server that exits first fails the test with its output.
    fn start(url: &str) -> Result<Server, BoxError> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ecommerce"))
            .args(["--url", url, "--listen", "127.0.0.1:0"])
            .env_remove("DATABASE_URL")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()?;
        let stderr = child.stderr.take().ok_or("stderr")?;
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(addr) = line.strip_prefix("ecommerce: listening on http://") {
                    let _ = tx.send(addr.to_owned());
                }
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        match rx.recv_timeout(std::time::Duration::from_secs(60)) {
            Ok(addr) => Ok(Server {
                child,
                addr: addr.parse()?,
                log,
            }),
            Err(_) => {
                let _ = child.kill();
                let status = child.wait()?;
                Err(format!(
                    "the server did not start ({status}):\n{}",
                    log.lock().unwrap()
                )
                .into())
            }
        }
    }

    /// SIGTERM, as a container runtime stops it; its exit status.
    fn terminate(&mut self) -> Result<std::process::ExitStatus, BoxError> {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()?;
        assert!(sent.success(), "kill -TERM failed");
        Ok(self.child.wait()?)
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// One request on a fresh connection; the status and the JSON body (`null` if empty).
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&str>,
    ) -> Result<(StatusCode, Value), BoxError> {
        let stream = tokio::net::TcpStream::connect(self.addr).await?;
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(connection);
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header("host", self.addr.to_string())
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(body.unwrap_or_default().to_owned())))?;
        let response = sender.send_request(request).await?;
        let status = response.status();
        let bytes = response.into_body().collect().await?.to_bytes();
        let value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)?
        };
        Ok((status, value))
    }

    async fn post(&self, path: &str, body: Value) -> Result<(StatusCode, Value), BoxError> {
        self.call(Method::POST, path, Some(&body.to_string())).await
    }

    async fn get(&self, path: &str) -> Result<(StatusCode, Value), BoxError> {
        self.call(Method::GET, path, None).await
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn count(db: &TestDb, table: &str) -> Result<String, BoxError> {
    let rows = db
        .query_strings(&format!("SELECT CAST(count(*) AS TEXT) FROM {table}"))
        .await?;
    Ok(rows.concat())
}

db_test!(customers_orders_and_a_cascading_delete_over_http, |db| {
    let server = Server::start(db.url())?;
    let log = server.log();
    for rev in ["5cc88b64dda9", "e3ed44d6310a", "3ea75eaa95a2"] {
        assert!(
            log.contains(&format!("ecommerce: migrated upgrade {rev}")),
            "{log}"
        );
    }
    assert!(
        log.contains("database at head 3ea75eaa95a2: 3 revisions applied"),
        "{log}"
    );

    let (status, engine) = server
        .post(
            "/products",
            json!({"product_name": "Engine", "price": 120.0}),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{engine}");
    let (_, loom) = server
        .post(
            "/products",
            json!({"product_name": "Loom", "description": "Jacquard", "price": 80.5}),
        )
        .await?;
    let (status, ada) = server
        .post("/customers", json!({"first_name": "Ada", "last_name": "Lovelace", "email_address": "ada@example.com"}))
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{ada}");
    let (_, grace) = server
        .post("/customers", json!({"first_name": "Grace", "last_name": "Hopper", "email_address": "grace@example.com"}))
        .await?;
    let (status, all) = server.get("/customers").await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(all, json!([ada, grace]));

    // An order with two lines, at the products' prices; then a second one.
    let ada_orders = format!("/customers/{}/orders", ada["customer_id"]);
    let items = json!({"items": [
        {"product_id": engine["product_id"], "quantity": 1},
        {"product_id": loom["product_id"], "quantity": 2},
    ]});
    let (status, first) = server.post(&ada_orders, items).await?;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["customer_id"], ada["customer_id"]);
    assert_eq!(first["total"], json!(281.0));
    assert_eq!(first["items"][1]["product"], loom);
    assert!(
        first["order_date"]
            .as_str()
            .is_some_and(|d| !d.starts_with("1970")),
        "{first}"
    );
    let (_, second) = server
        .post(
            &ada_orders,
            json!({"items": [{"product_id": loom["product_id"], "quantity": 4}]}),
        )
        .await?;

    // Refused orders write nothing.
    let unknown = json!({"items": [{"product_id": engine["product_id"], "quantity": 1}, {"product_id": 999, "quantity": 1}]});
    let (status, err) = server.post(&ada_orders, unknown).await?;
    assert_eq!(
        (status, err),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"error": "no product 999"})
        )
    );
    let (status, _) = server.post(&ada_orders, json!({"items": []})).await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, err) = server
        .post(
            "/customers/999/orders",
            json!({"items": [{"product_id": 1, "quantity": 1}]}),
        )
        .await?;
    assert_eq!(
        (status, err),
        (StatusCode::NOT_FOUND, json!({"error": "no customer 999"}))
    );
    let (status, err) = server
        .call(Method::POST, &ada_orders, Some("{not json"))
        .await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(err["error"].is_string(), "{err}");
    assert_eq!(count(&db, "orders").await?, "2");
    assert_eq!(count(&db, "order_items").await?, "3");

    // A customer's orders with their products; another's, none.
    let (status, listed) = server.get(&ada_orders).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed, json!([first, second]));
    let (_, none) = server
        .get(&format!("/customers/{}/orders", grace["customer_id"]))
        .await?;
    assert_eq!(none, json!([]));

    // Deleting Ada takes her orders and their lines; Grace stays.
    let ada_path = format!("/customers/{}", ada["customer_id"]);
    let (status, _) = server.call(Method::DELETE, &ada_path, None).await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(server.get(&ada_path).await?.0, StatusCode::NOT_FOUND);
    assert_eq!(server.get(&ada_orders).await?.0, StatusCode::NOT_FOUND);
    assert_eq!(
        server.call(Method::DELETE, &ada_path, None).await?.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(count(&db, "orders").await?, "0");
    assert_eq!(count(&db, "order_items").await?, "0");
    assert_eq!(server.get("/customers").await?.1, json!([grace]));
    let mut server = server;
    let status = server.terminate()?;
    assert!(status.success(), "{status}\n{}", server.log());
    // The reader thread may still be taking the last line.
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(
        server.log().contains("ecommerce: shutting down"),
        "{}",
        server.log()
    );
    drop(server);

    // Started again, it finds the database at head and its rows where they were.
    let again = Server::start(db.url())?;
    assert!(
        again
            .log()
            .contains("ecommerce: database already at head 3ea75eaa95a2"),
        "{}",
        again.log()
    );
    assert!(!again.log().contains("migrated"), "{}", again.log());
    assert_eq!(again.get("/customers").await?.1, json!([grace]));
    Ok(())
});

db_test!(no_migrate_refuses_a_database_behind_head, |db| {
    let out = Command::new(env!("CARGO_BIN_EXE_ecommerce"))
        .args(["--url", db.url(), "--listen", "127.0.0.1:0", "--no-migrate"])
        .env_remove("DATABASE_URL")
        .output()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("is at nothing (no revision applied), this build expects 3ea75eaa95a2"),
        "{stderr}"
    );
    assert!(!stderr.contains("listening"), "{stderr}");
    Ok(())
});

db_test!(a_database_ahead_of_this_build_is_refused_not_served, |db| {
    let url = retort::migrate::DatabaseUrl::parse(db.url())?;
    ecommerce::startup::migrate(&url, |_| {}).await?;
    // A later build applied a revision this one does not have (a rollback of the deploy).
    db.execute("UPDATE retort_version SET version_num = 'ffffffffffff'")
        .await?;
    let out = Command::new(env!("CARGO_BIN_EXE_ecommerce"))
        .args(["--url", db.url(), "--listen", "127.0.0.1:0"])
        .env_remove("DATABASE_URL")
        .output()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("ffffffffffff"), "{stderr}");
    assert!(!stderr.contains("migrated"), "{stderr}");
    assert!(!stderr.contains("listening"), "{stderr}");
    Ok(())
});
