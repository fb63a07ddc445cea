// The migrations are embedded by `sqlx::migrate!`, which cargo does not
// know reads them: a new or changed migration rebuilds the server.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
