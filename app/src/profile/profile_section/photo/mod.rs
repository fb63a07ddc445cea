//! The profile photo: uploaded as a file (PNG, JPEG or WebP, at most 2 MB,
//! recognised by its content, never its name), resized to a square avatar
//! and kept in PostgreSQL. The form is a plain multipart form, so it works
//! the same with and without JavaScript.

#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

use crate::profile::{section_screen::user_field, ProfileError, ProfileView};
use crate::{components::Avatar, error::FormError as _};

/// The largest file accepted.
pub const MAX_PHOTO_BYTES: usize = 2 * 1024 * 1024;
/// What a person who picked a larger file is told.
pub const PHOTO_TOO_LARGE: &str = "A photo can be at most 2 MB.";

/// Where the photo form posts. The function exists on the server only, so
/// the browser bundle carries no multipart parser.
pub const UPLOAD_PHOTO_PATH: &str = "/api/profile/photo";

/// Fields: `user` (empty: the viewer's own) and `photo` (the file).
#[cfg(feature = "ssr")]
#[server(endpoint = "profile/photo", input = MultipartFormData)]
pub async fn upload_photo(data: MultipartData) -> Result<(), ProfileError> {
    use crate::{domain::FieldErrors, error::respond, state::use_state};

    let invalid = |message: &str| ProfileError::Invalid(FieldErrors::single("photo", message));
    let unreadable = |_| {
        respond(ProfileError::BadRequest {
            message: "The upload could not be read.".into(),
            status: 400,
        })
    };
    let mut multipart = data
        .into_inner()
        .ok_or_else(|| respond(invalid("No file came.")))?;
    let (mut user, mut photo) = (String::new(), None);
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("user") => {
                user = field
                    .text()
                    .await
                    .map_err(unreadable)?
                    .chars()
                    .take(64)
                    .collect()
            }
            Some("photo") => {
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                    if bytes.len() + chunk.len() > MAX_PHOTO_BYTES {
                        return Err(respond(invalid(PHOTO_TOO_LARGE)));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                photo = Some(bytes);
            }
            _ => {
                return Err(respond(ProfileError::BadRequest {
                    message: "This action takes only the fields user and photo.".into(),
                    status: 422,
                }))
            }
        }
    }
    let (viewer, target) =
        crate::profile::section_call::section_call_without_version(&user).map_err(respond)?;
    crate::rate_limit::check_current(
        crate::rate_limit::Limited::PhotoUpload,
        &viewer.user_id.to_string(),
    )
    .await
    .map_err(|retry_after| {
        respond(ProfileError::BadRequest {
            message: format!("Too many uploads. Try again in {retry_after} seconds."),
            status: 429,
        })
    })?;
    let photo = photo
        .filter(|bytes| !bytes.is_empty())
        .ok_or_else(|| respond(invalid("Choose a photo to upload.")))?;
    let avatar = avatar::make_in_turn(photo)
        .await
        .map_err(|e| respond(ProfileError::from(e)))?
        .map_err(|message| respond(invalid(message)))?;
    let id = store::save_photo(
        &use_state(),
        &viewer,
        target,
        avatar,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    crate::profile::redirect_to_section(&viewer, target, id, crate::profile::Section::Profile);
    Ok(())
}

/// Removes the photo; initials show instead.
#[server(endpoint = "profile/photo/remove")]
pub async fn remove_photo(#[server(default)] user: String) -> Result<(), ProfileError> {
    use crate::{error::respond, state::use_state};

    let (viewer, target) =
        crate::profile::section_call::section_call_without_version(&user).map_err(respond)?;
    let id = store::remove_photo(
        &use_state(),
        &viewer,
        target,
        &crate::request::RequestInfo::current(),
    )
    .await
    .map_err(respond)?;
    crate::profile::redirect_to_section(&viewer, target, id, crate::profile::Section::Profile);
    Ok(())
}

/// Turns an upload into the stored avatar.
#[cfg(feature = "ssr")]
pub mod avatar {
    use std::io::Cursor;

    use image::{imageops::FilterType, ImageFormat, ImageReader, Limits};

    /// Width and height of the stored avatar.
    pub const SIZE: u32 = 256;
    /// The largest width and height decoded.
    pub const MAX_SIDE: u32 = 4096;
    /// What one decoding may allocate: a 4,096 × 4,096 image with an alpha
    /// channel (64 MiB), and room for the resize.
    const MAX_ALLOC: u64 = 96 * 1024 * 1024;
    /// Photos decoded at once, server-wide; more wait up to [`DECODE_WAIT`].
    /// With [`MAX_ALLOC`] this bounds decoding memory to about 192 MiB.
    const DECODING_AT_ONCE: usize = 2;
    const DECODE_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

    /// [`make`], on the blocking pool, at most [`DECODING_AT_ONCE`] at a
    /// time; a photo that waited too long gets [`HashingBusy`] (503).
    ///
    /// [`HashingBusy`]: crate::crypto::password_hash::HashingBusy
    pub async fn make_in_turn(bytes: Vec<u8>) -> anyhow::Result<Result<Vec<u8>, &'static str>> {
        use anyhow::Context as _;
        static DECODING: std::sync::LazyLock<tokio::sync::Semaphore> =
            std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(DECODING_AT_ONCE));
        let _turn = tokio::time::timeout(DECODE_WAIT, DECODING.acquire())
            .await
            .map_err(|_| crate::crypto::password_hash::HashingBusy)?
            .context("the decoding turns closed")?;
        tokio::task::spawn_blocking(move || make(&bytes))
            .await
            .context("decoding a photo")
    }

    /// Decodes a PNG, JPEG or WebP (by its content) within size limits, crops
    /// it to the middle square and scales it to [`SIZE`], as PNG.
    pub fn make(bytes: &[u8]) -> Result<Vec<u8>, &'static str> {
        if bytes.len() > super::MAX_PHOTO_BYTES {
            return Err(super::PHOTO_TOO_LARGE);
        }
        let format = image::guess_format(bytes)
            .ok()
            .filter(|f| matches!(f, ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP))
            .ok_or("Upload a PNG, JPEG or WebP image.")?;
        // The header alone says how big the image claims to be.
        let (width, height) = ImageReader::with_format(Cursor::new(bytes), format)
            .into_dimensions()
            .map_err(|_| "This file could not be read as an image.")?;
        if width > MAX_SIDE || height > MAX_SIDE {
            return Err("A photo can be at most 4,096 × 4,096 pixels.");
        }
        let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
        let mut limits = Limits::default();
        limits.max_image_width = Some(MAX_SIDE);
        limits.max_image_height = Some(MAX_SIDE);
        limits.max_alloc = Some(MAX_ALLOC);
        reader.limits(limits);
        let image = reader
            .decode()
            .map_err(|_| "This file could not be read as an image.")?;
        // The centred square first, then the resize: resizing to fill first
        // would scale a 4,096 × 1 strip to 1,048,576 × 256 (gigabytes).
        let side = image.width().min(image.height());
        let square = image
            .crop_imm(
                (image.width() - side) / 2,
                (image.height() - side) / 2,
                side,
                side,
            )
            .resize_exact(SIZE, SIZE, FilterType::Lanczos3);
        let mut out = Vec::new();
        square
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .map_err(|_| "This image could not be converted.")?;
        Ok(out)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_form_posts_where_the_function_listens() {
            use leptos::server_fn::ServerFn as _;
            assert_eq!(
                super::super::UPLOAD_PHOTO_PATH,
                super::super::UploadPhoto::PATH
            );
        }

        fn encoded(format: ImageFormat, width: u32, height: u32) -> Vec<u8> {
            let image = image::DynamicImage::new_rgb8(width, height);
            let mut out = Vec::new();
            image.write_to(&mut Cursor::new(&mut out), format).unwrap();
            out
        }

        #[test]
        fn png_jpeg_and_webp_become_a_square_png() {
            for format in [ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::WebP] {
                let avatar = make(&encoded(format, 640, 480)).unwrap();
                let decoded =
                    image::load_from_memory_with_format(&avatar, ImageFormat::Png).unwrap();
                assert_eq!(
                    (decoded.width(), decoded.height()),
                    (SIZE, SIZE),
                    "{format:?}"
                );
            }
        }

        #[test]
        fn the_content_decides_not_the_name() {
            assert!(make(b"GIF89a not allowed").is_err());
            assert!(make(b"<svg xmlns='http://www.w3.org/2000/svg'/>").is_err());
            let mut truncated = encoded(ImageFormat::Png, 64, 64);
            truncated.truncate(40);
            assert!(make(&truncated).is_err());
            assert!(make(&vec![0u8; super::super::MAX_PHOTO_BYTES + 1]).is_err());
        }

        #[test]
        fn huge_dimensions_are_refused_before_decoding() {
            // A tiny file that claims 20000 × 20000 pixels.
            let claim = encoded(ImageFormat::Png, 20_000, 1);
            assert!(make(&claim).is_err());
        }

        #[test]
        fn the_largest_side_allowed_still_decodes() {
            let edge = encoded(ImageFormat::Png, MAX_SIDE, 1);
            assert!(make(&edge).is_ok());
            let over = encoded(ImageFormat::Png, 1, MAX_SIDE + 1);
            assert_eq!(
                make(&over),
                Err("A photo can be at most 4,096 × 4,096 pixels.")
            );
        }
    }
}

/// The error of the last upload, which comes back in the address: the
/// upload is a plain form post (it carries a file), not a `ServerAction`.
pub fn upload_error() -> Option<ProfileError> {
    use leptos::{server::ServerActionError, server_fn::error::ServerFnUrlError};

    use_context::<ServerActionError>()
        .filter(|error| error.path() == UPLOAD_PHOTO_PATH)
        .map(|error| ServerFnUrlError::<ProfileError>::decode_err(error.err()))
}

#[component]
pub fn PhotoForm(profile: ProfileView, remove: ServerAction<RemovePhoto>) -> impl IntoView {
    let uploaded = upload_error().map(|e| e.field("photo").unwrap_or_else(|| e.to_string()));
    let error = Signal::derive(move || {
        remove
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
            .or_else(|| uploaded.clone())
    });
    let user = user_field(&profile);
    let remove_user = user.clone();
    let upload_url = UPLOAD_PHOTO_PATH;
    view! {
        <div class="photo-field">
            <Avatar user_id=profile.user_id name=profile.name.clone() photo=profile.photo.clone() large=true/>
            <form method="post" action=upload_url enctype="multipart/form-data" class="stack">
                <div class="field" class:field-invalid=move || error.get().is_some()>
                    <label for="field-photo">"Photo"</label>
                    <p class="field-hint" id="field-photo-hint">"PNG, JPEG or WebP, up to 2 MB. It is cropped to a square."</p>
                    <input type="file" id="field-photo" name="photo" accept="image/png,image/jpeg,image/webp"
                        aria-describedby=move || if error.get().is_some() { "field-photo-hint field-photo-error" } else { "field-photo-hint" }
                        aria-invalid=move || error.get().is_some().then_some("true")/>
                    <p class="field-error" id="field-photo-error" aria-live="polite">{move || error.get()}</p>
                </div>
                <input type="hidden" name="user" value=user/>
                <button type="submit" class="button">"Upload photo"</button>
            </form>
            {profile.photo.is_some().then(|| view! {
                <ActionForm action=remove>
                    <input type="hidden" name="user" value=remove_user/>
                    <button type="submit" class="link-button">"Remove photo"</button>
                </ActionForm>
            })}
        </div>
    }
}
