//! Profile photos: checked by content, resized, stored, served with caching
//! headers to the same account only; oversized and fake files refused.

use std::io::Cursor;

use reqwest::multipart::{Form, Part};
use uuid::Uuid;

use crate::helpers::{plain_client, TestApp};
use app::domain::Role;

fn picture(format: image::ImageFormat, width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::DynamicImage::new_rgb8(width, height)
        .write_to(&mut Cursor::new(&mut out), format)
        .unwrap();
    out
}

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    user: &str,
    file_name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let form = Form::new()
        .text("user", user.to_owned())
        .part("photo", Part::bytes(bytes).file_name(file_name.to_owned()));
    client
        .post(app.url("/api/profile/photo"))
        .header("origin", &app.address)
        .header("accept", "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn photo_version(app: &TestApp, client: &reqwest::Client, user: &str) -> serde_json::Value {
    let view: serde_json::Value = app
        .call_as(client, "/api/profile/get", &[("user", user)])
        .await
        .json()
        .await
        .unwrap();
    view["photo"].clone()
}

#[tokio::test]
async fn a_photo_is_resized_stored_and_served_with_caching_headers() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let owner: Uuid = app.id_of(Role::Owner).await;
    assert!(photo_version(&app, &app.client, "").await.is_null());

    for format in [
        image::ImageFormat::Jpeg,
        image::ImageFormat::WebP,
        image::ImageFormat::Png,
    ] {
        // The name says nothing: the content decides.
        let response = upload(&app, &app.client, "", "me.txt", picture(format, 800, 600)).await;
        assert_eq!(
            response.status(),
            200,
            "{format:?}: {}",
            response.text().await.unwrap()
        );
    }
    let version = photo_version(&app, &app.client, "").await;
    let version = version.as_str().unwrap();
    let url = format!("/avatars/{owner}?v={version}");
    let served = app.get(&url).await;
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert!(served.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    let etag = served.headers()["etag"].to_str().unwrap().to_owned();
    let image = image::load_from_memory(&served.bytes().await.unwrap()).unwrap();
    assert_eq!((image.width(), image.height()), (256, 256));
    let again = app
        .client
        .get(app.url(&url))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    // Only people of the account see it.
    let other = app.other_account_client().await;
    assert_eq!(app.get_as(&other, &url).await.status(), 404);
    assert_eq!(app.get_as(&plain_client(), &url).await.status(), 401);

    let removed = app.call("/api/profile/photo/remove", &[("user", "")]).await;
    assert_eq!(removed.status(), 200);
    assert_eq!(app.get(&url).await.status(), 404);
    assert_eq!(
        app.count("audit_events WHERE action LIKE 'profile.photo_%'")
            .await,
        4
    );
}

#[tokio::test]
async fn fakes_huge_files_and_other_peoples_profiles_are_refused() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let admin = app.signed_in_as(Role::Administrator).await;
    let user = app.signed_in_as(Role::User).await;
    let user_id: Uuid = app.id_of(Role::User).await;
    let user_id = user_id.to_string();
    let owner_id: Uuid = app.id_of(Role::Owner).await;

    let fake = upload(
        &app,
        &user,
        "",
        "photo.png",
        b"<svg onload=alert(1)>".to_vec(),
    )
    .await;
    assert_eq!(fake.status(), 422);
    assert!(fake.text().await.unwrap().contains("PNG, JPEG or WebP"));
    let gif = upload(
        &app,
        &user,
        "",
        "a.gif",
        picture(image::ImageFormat::Png, 1, 1)[..8].to_vec(),
    )
    .await;
    assert_eq!(gif.status(), 422);
    let empty = upload(&app, &user, "", "empty.png", Vec::new()).await;
    assert_eq!(empty.status(), 422);
    let huge = upload(&app, &user, "", "huge.png", vec![0u8; 50 * 1024 * 1024]).await;
    assert_eq!(huge.status(), 413);
    let just_over = upload(&app, &user, "", "big.png", vec![0u8; 2 * 1024 * 1024 + 1]).await;
    assert!(
        matches!(just_over.status().as_u16(), 413 | 422),
        "{}",
        just_over.status()
    );
    let form_encoded = app
        .call_as(&user, "/api/profile/photo", &[("user", "")])
        .await;
    assert_eq!(form_encoded.status(), 415);
    assert_eq!(app.count("user_photos").await, 0);

    let png = picture(image::ImageFormat::Png, 64, 64);
    let theirs = upload(&app, &user, &owner_id.to_string(), "p.png", png.clone()).await;
    assert_eq!(theirs.status(), 403);
    let for_user = upload(&app, &admin, &user_id, "p.png", png.clone()).await;
    assert_eq!(for_user.status(), 200);
    let for_owner = upload(&app, &admin, &owner_id.to_string(), "p.png", png).await;
    assert_eq!(for_owner.status(), 403);
    assert_eq!(app.count("user_photos").await, 1);
    let anonymous = upload(
        &app,
        &plain_client(),
        "",
        "p.png",
        picture(image::ImageFormat::Png, 8, 8),
    )
    .await;
    assert_eq!(anonymous.status(), 401);
}

/// A 1 × 1 PNG whose header claims `width` × `height`, padded with zeroes
/// to `size` bytes: a decompression bomb's first step.
fn png_claiming(width: u32, height: u32, size: usize) -> Vec<u8> {
    let mut png = picture(image::ImageFormat::Png, 1, 1);
    // The IHDR chunk: length (8..12), type (12..16), width, height…, CRC (29..33).
    png[16..20].copy_from_slice(&width.to_be_bytes());
    png[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png.resize(size.max(png.len()), 0);
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[tokio::test]
async fn a_photo_claiming_8000_pixels_a_side_is_refused_from_its_header_and_uploads_are_limited() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let bomb = png_claiming(8_000, 8_000, 100 * 1024);
    let refused = upload(&app, &app.client, "", "bomb.png", bomb).await;
    assert_eq!(refused.status(), 422);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("A photo can be at most 4,096 × 4,096 pixels."));
    assert_eq!(app.count("user_photos").await, 0);

    // Ten uploads a minute per user.
    let png = picture(image::ImageFormat::Png, 8, 8);
    for _ in 0..9 {
        let response = upload(&app, &app.client, "", "p.png", png.clone()).await;
        assert_eq!(response.status(), 200);
    }
    let limited = upload(&app, &app.client, "", "p.png", png).await;
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn a_file_over_the_limit_is_read_to_the_end_and_the_form_gets_its_error() {
    let app = TestApp::spawn().await;
    app.set_up_owner().await;
    let five_megabytes = {
        let mut file = picture(image::ImageFormat::Png, 1, 1);
        file.resize(5 * 1024 * 1024, 0);
        file
    };
    let form = Form::new().text("user", "").part(
        "photo",
        Part::bytes(five_megabytes).file_name("holiday.png"),
    );
    // As a browser posts the form: it asks for a page and says where from.
    let response = app
        .client
        .post(app.url("/api/profile/photo"))
        .header("origin", &app.address)
        .header("accept", "text/html")
        .header("referer", app.url("/profile/profile"))
        .multipart(form)
        .send()
        .await
        .expect("an answer, not a reset connection");
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with("/profile/profile?__path=%2Fapi%2Fprofile%2Fphoto&__err="),
        "{location}"
    );
    let page = app.get(&location).await;
    assert_eq!(page.status(), 422);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("A photo can be at most 2 MB."));
    assert_eq!(app.count("user_photos").await, 0);

    // A referer elsewhere is never followed.
    let form = Form::new().text("user", "").part(
        "photo",
        Part::bytes(vec![0u8; 3 * 1024 * 1024]).file_name("x.png"),
    );
    let response = app
        .client
        .post(app.url("/api/profile/photo"))
        .header("origin", &app.address)
        .header("accept", "text/html")
        .header("referer", "https://evil.example/phish")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert!(response.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/phish?"));
}
