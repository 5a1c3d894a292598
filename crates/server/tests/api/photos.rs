//! Photos over HTTP: upload with content checks, EXIF stripping and thumbnails; reading,
//! listing, captions, deletion and avatars with the owner-only and privacy rules; `/media`.

use image::{GenericImageView, ImageFormat};
use reqwest::Method;
use reqwest::multipart::Form;
use serde_json::json;

use crate::assert_problem;
use crate::people_support::{
    all_pages, assert_no_content, befriend, block, get_ok, ids, json_with, person, profile, send,
    send_json, set_privacy,
};
use crate::photos_support::{
    bmp, contains, decode, exif_fields, fetch, fetch_bytes, file_names_under, file_part,
    files_under, gif, gif_frames, gps_tags, id_of, is_media_url, jpeg,
    jpeg_with_gps_and_orientation, key_of, latitude_seconds_bytes, picture, png, png_bomb, served,
    transparent_png, truncated_png, upload, upload_captioned, upload_form, upload_ok, upload_png,
    url_of, webp,
};
use crate::support::{spawn_app, spawn_app_with};

// ---------------------------------------------------------------------------------------------
// Upload: what is stored.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn uploading_a_png_answers_201_with_the_photo() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;

    let response = upload(&app, &me, png(300, 200), "beach.png", "image/png").await;

    let photo = json_with(response, 201).await;
    assert!(uuid::Uuid::try_parse(&id_of(&photo)).is_ok(), "{photo}");
    assert_eq!(photo["ownerId"], me.id.as_str());
    assert_eq!(photo["width"], 300);
    assert_eq!(photo["height"], 200);
    assert!(photo["caption"].is_null(), "{photo}");
    assert!(is_media_url(url_of(&photo, "url"), "png"), "{photo}");
    assert!(
        is_media_url(url_of(&photo, "thumbnailUrl"), "jpg"),
        "{photo}"
    );
    assert_ne!(photo["url"], photo["thumbnailUrl"]);
    let created = photo["createdAt"].as_str().expect("createdAt");
    assert!(
        time::OffsetDateTime::parse(created, &time::format_description::well_known::Rfc3339)
            .is_ok()
            && created.ends_with('Z'),
        "createdAt {created}"
    );
}

#[tokio::test]
async fn a_caption_of_up_to_2000_characters_is_kept() {
    let app = spawn_app().await;
    let me = app.register().await;
    // 2000 characters, 6000 bytes: the limit counts characters.
    let caption = format!("{}🌸", "桜".repeat(1999));

    let response = upload_captioned(&app, &me, png(40, 40), &caption).await;

    let photo = json_with(response, 201).await;
    assert_eq!(photo["caption"], caption.as_str());
}

#[tokio::test]
async fn a_png_or_a_jpeg_is_stored_as_the_same_kind_and_size() {
    let app = spawn_app().await;
    let me = app.register().await;

    for (bytes, extension, format) in [
        (png(300, 200), "png", ImageFormat::Png),
        (jpeg(300, 200), "jpg", ImageFormat::Jpeg),
    ] {
        let photo = upload_ok(&app, &me, bytes).await;

        assert!(is_media_url(url_of(&photo, "url"), extension), "{photo}");
        let (stored, image) = served(&app, &photo, "url").await;
        assert_eq!(stored, format);
        assert_eq!(image.dimensions(), (300, 200), "{format:?}");
    }
}

#[tokio::test]
async fn a_webp_is_stored_as_a_lossless_webp_with_the_same_pixels() {
    let app = spawn_app().await;
    let me = app.register().await;

    let photo = upload_ok(&app, &me, webp(120, 80)).await;

    assert!(is_media_url(url_of(&photo, "url"), "webp"), "{photo}");
    assert_eq!(
        (photo["width"].clone(), photo["height"].clone()),
        (json!(120), json!(80))
    );
    let (format, image) = served(&app, &photo, "url").await;
    assert_eq!(format, ImageFormat::WebP);
    assert!(
        image.to_rgb8() == picture(120, 80).to_rgb8(),
        "the stored WebP's pixels differ from the upload's"
    );
}

#[tokio::test]
async fn an_animated_gif_is_stored_as_a_gif_of_its_first_frame() {
    let app = spawn_app().await;
    let me = app.register().await;
    let red = [230, 10, 10];
    let green = [10, 230, 10];

    let photo = upload_ok(&app, &me, gif(90, 60, red, green)).await;

    assert!(is_media_url(url_of(&photo, "url"), "gif"), "{photo}");
    let bytes = fetch_bytes(&app, url_of(&photo, "url")).await;
    let (format, image) = decode(&bytes);
    assert_eq!(format, ImageFormat::Gif);
    assert_eq!(image.dimensions(), (90, 60));
    assert_eq!(gif_frames(&bytes), 1, "only the first frame is kept");
    let [r, g, _, _] = image.get_pixel(45, 30).0;
    assert!(
        r > 200 && g < 50,
        "the first (red) frame, got {:?}",
        image.get_pixel(45, 30)
    );
}

#[tokio::test]
async fn the_kind_is_recognised_by_the_bytes_not_by_the_name_or_declared_type() {
    let app = spawn_app().await;
    let me = app.register().await;

    let response = upload(&app, &me, jpeg(80, 60), "holiday.png", "image/png").await;

    let photo = json_with(response, 201).await;
    assert!(is_media_url(url_of(&photo, "url"), "jpg"), "{photo}");
    let (format, _) = served(&app, &photo, "url").await;
    assert_eq!(format, ImageFormat::Jpeg);
}

#[tokio::test]
async fn the_gps_exif_of_a_jpeg_is_gone_from_the_stored_original_and_thumbnail() {
    let app = spawn_app().await;
    let me = app.register().await;
    let upload_bytes = jpeg_with_gps_and_orientation(800, 600, 1);
    assert!(
        !gps_tags(&upload_bytes).is_empty(),
        "the test JPEG must carry GPS"
    );

    let photo = upload_ok(&app, &me, upload_bytes).await;

    for field in ["url", "thumbnailUrl"] {
        let stored = fetch_bytes(&app, url_of(&photo, field)).await;
        assert_eq!(
            gps_tags(&stored),
            Vec::<String>::new(),
            "{field} carries GPS"
        );
        assert!(
            exif_fields(&stored).is_empty(),
            "{field} still carries EXIF"
        );
        assert!(
            !contains(&stored, &latitude_seconds_bytes()),
            "{field} still holds the latitude's bytes"
        );
    }
}

#[tokio::test]
async fn the_exif_orientation_is_applied_to_the_stored_picture() {
    let app = spawn_app().await;
    let me = app.register().await;
    // 200×100, red left, blue right; Orientation 6 = turn 90° clockwise to view.
    let sideways = jpeg_with_gps_and_orientation(200, 100, 6);

    let photo = upload_ok(&app, &me, sideways).await;

    assert_eq!(photo["width"], 100, "{photo}");
    assert_eq!(photo["height"], 200, "{photo}");
    let (_, image) = served(&app, &photo, "url").await;
    assert_eq!(image.dimensions(), (100, 200));
    let [r, _, b, _] = image.get_pixel(50, 20).0;
    assert!(r > 150 && b < 100, "the top should be red after turning");
    let [r, _, b, _] = image.get_pixel(50, 180).0;
    assert!(
        b > 150 && r < 100,
        "the bottom should be blue after turning"
    );
}

#[tokio::test]
async fn an_opaque_pictures_thumbnail_is_a_jpeg_with_its_longest_side_320() {
    let app = spawn_app().await;
    let me = app.register().await;

    let photo = upload_ok(&app, &me, png(1000, 500)).await;

    assert!(
        is_media_url(url_of(&photo, "thumbnailUrl"), "jpg"),
        "{photo}"
    );
    let (format, thumbnail) = served(&app, &photo, "thumbnailUrl").await;
    assert_eq!(format, ImageFormat::Jpeg);
    assert_eq!(thumbnail.dimensions(), (320, 160));
    assert_eq!(
        (photo["width"].clone(), photo["height"].clone()),
        (json!(1000), json!(500))
    );
}

#[tokio::test]
async fn a_small_picture_is_not_enlarged_for_its_thumbnail() {
    let app = spawn_app().await;
    let me = app.register().await;

    let photo = upload_ok(&app, &me, png(100, 50)).await;

    let (_, thumbnail) = served(&app, &photo, "thumbnailUrl").await;
    assert_eq!(thumbnail.dimensions(), (100, 50));
}

#[tokio::test]
async fn the_thumbnail_of_a_transparent_picture_is_a_png_that_keeps_the_transparency() {
    let app = spawn_app().await;
    let me = app.register().await;

    let photo = upload_ok(&app, &me, transparent_png(640, 480)).await;

    assert!(
        is_media_url(url_of(&photo, "thumbnailUrl"), "png"),
        "{photo}"
    );
    let (format, thumbnail) = served(&app, &photo, "thumbnailUrl").await;
    assert_eq!(format, ImageFormat::Png);
    assert_eq!(thumbnail.dimensions(), (320, 240));
    assert_eq!(
        thumbnail.get_pixel(300, 120).0[3],
        0,
        "the right half is transparent"
    );
    assert_eq!(
        thumbnail.get_pixel(20, 120).0[3],
        255,
        "the left half is opaque"
    );
}

#[tokio::test]
async fn a_successful_upload_stores_exactly_the_original_and_the_thumbnail() {
    let app = spawn_app().await;
    let me = app.register().await;

    let photo = upload_png(&app, &me).await;

    let mut expected = vec![
        key_of(url_of(&photo, "url")).to_owned(),
        key_of(url_of(&photo, "thumbnailUrl")).to_owned(),
    ];
    expected.sort();
    assert_eq!(file_names_under(&app.media_dir), expected);
}

// ---------------------------------------------------------------------------------------------
// Upload: what is refused.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_text_file_named_png_is_refused_with_415_unsupported_image_type() {
    let app = spawn_app().await;
    let me = app.register().await;
    let text = b"hello, I am definitely a picture".to_vec();

    let response = upload(&app, &me, text, "cat.png", "image/png").await;

    assert_problem(response, 415, "unsupported_image_type").await;
}

#[tokio::test]
async fn an_svg_or_a_bmp_is_refused_with_415_unsupported_image_type() {
    let app = spawn_app().await;
    let me = app.register().await;
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;

    for (bytes, name, mime) in [
        (svg.to_vec(), "logo.svg", "image/svg+xml"),
        (bmp(), "old.bmp", "image/bmp"),
    ] {
        let response = upload(&app, &me, bytes, name, mime).await;

        assert_problem(response, 415, "unsupported_image_type").await;
    }
}

#[tokio::test]
async fn a_file_over_10_mib_is_refused_with_413_payload_too_large() {
    let app = spawn_app().await;
    let me = app.register().await;
    let mut big = png(16, 16);
    big.resize(10 * 1024 * 1024 + 1, 0);

    let response = upload(&app, &me, big, "huge.png", "image/png").await;

    assert_problem(response, 413, "payload_too_large").await;
}

#[tokio::test]
async fn a_png_header_declaring_over_40_megapixels_is_refused_quickly_with_413_image_too_large() {
    let app = spawn_app().await;
    let me = app.register().await;

    // Just over the limit (40,008,000 pixels), and ten billion: files of a few dozen bytes.
    for (width, height) in [(8000, 5001), (100_000, 100_000)] {
        let started = std::time::Instant::now();

        let response = upload(&app, &me, png_bomb(width, height), "b.png", "image/png").await;

        assert_problem(response, 413, "image_too_large").await;
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{width}×{height} took {:?}: was it decoded?",
            started.elapsed()
        );
    }
}

#[tokio::test]
async fn a_truncated_png_is_refused_with_415_invalid_image() {
    let app = spawn_app().await;
    let me = app.register().await;

    let response = upload(&app, &me, truncated_png(300, 200), "cut.png", "image/png").await;

    assert_problem(response, 415, "invalid_image").await;
}

#[tokio::test]
async fn refused_uploads_leave_no_file_in_the_media_directory() {
    let app = spawn_app().await;
    let me = app.register().await;

    for (what, bytes) in [
        ("text", b"not a picture at all".to_vec()),
        ("truncated", truncated_png(300, 200)),
        ("bomb", png_bomb(8000, 5001)),
    ] {
        let response = upload(&app, &me, bytes, "x.png", "image/png").await;

        assert!(
            response.status().is_client_error(),
            "{what}: {}",
            response.status()
        );
        assert_eq!(
            files_under(&app.media_dir),
            Vec::<std::path::PathBuf>::new(),
            "{what}"
        );
    }
}

#[tokio::test]
async fn an_upload_without_a_file_field_is_422_validation_failed_on_file() {
    let app = spawn_app().await;
    let me = app.register().await;
    let form = Form::new().text("caption", "where is the picture?");

    let response = upload_form(&app, Some(&me.access_token), form).await;

    let body = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "file", "{body}");
}

#[tokio::test]
async fn an_empty_file_is_refused_with_422() {
    let app = spawn_app().await;
    let me = app.register().await;
    let form = Form::new().part("file", file_part(Vec::new(), "empty.png", "image/png"));

    let response = upload_form(&app, Some(&me.access_token), form).await;

    let body = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "file", "{body}");
}

#[tokio::test]
async fn a_json_body_is_refused_with_415_unsupported_media_type() {
    let app = spawn_app().await;
    let me = app.register().await;

    let response = send_json(
        &app,
        Method::POST,
        "/api/v1/photos",
        &json!({"file": "aGVsbG8="}),
        &me,
    )
    .await;

    assert_problem(response, 415, "unsupported_media_type").await;
}

#[tokio::test]
async fn a_caption_over_2000_characters_is_422_on_caption() {
    let app = spawn_app().await;
    let me = app.register().await;

    let response = upload_captioned(&app, &me, png(40, 40), &"a".repeat(2001)).await;

    let body = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "caption", "{body}");
    assert!(files_under(&app.media_dir).is_empty(), "nothing stored");
}

#[tokio::test]
async fn uploading_without_a_token_is_401() {
    let app = spawn_app().await;
    let form = Form::new().part("file", file_part(png(40, 40), "a.png", "image/png"));

    let response = upload_form(&app, None, form).await;

    assert_eq!(response.status().as_u16(), 401);
    assert!(files_under(&app.media_dir).is_empty(), "nothing stored");
}

// ---------------------------------------------------------------------------------------------
// Reading and listing.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn anyone_signed_in_can_read_a_photo_by_its_id() {
    let app = spawn_app().await;
    let owner = person(&app, "Aiko", "Tanaka").await;
    let stranger = person(&app, "Ren", "Sato").await;
    let photo = upload_png(&app, &owner).await;

    let read = get_ok(
        &app,
        &format!("/api/v1/photos/{}", id_of(&photo)),
        &stranger,
    )
    .await;

    assert_eq!(read, photo);
}

#[tokio::test]
async fn an_unknown_photo_is_404_photo_not_found() {
    let app = spawn_app().await;
    let me = app.register().await;
    let path = format!("/api/v1/photos/{}", uuid::Uuid::new_v4());

    let response = app.get(&path, Some(&me.access_token)).await;

    assert_problem(response, 404, "photo_not_found").await;
}

#[tokio::test]
async fn a_friends_only_photo_is_403_privacy_restricted_for_a_stranger_but_seen_by_a_friend() {
    let app = spawn_app().await;
    let owner = person(&app, "Aiko", "Tanaka").await;
    let friend = person(&app, "Ren", "Sato").await;
    let stranger = person(&app, "Yuki", "Mori").await;
    befriend(&app, &owner, &friend).await;
    let photo = upload_png(&app, &owner).await;
    set_privacy(&app, &owner, "photos", "friends").await;
    let path = format!("/api/v1/photos/{}", id_of(&photo));

    let by_stranger = app.get(&path, Some(&stranger.access_token)).await;
    let by_friend = get_ok(&app, &path, &friend).await;

    assert_problem(by_stranger, 403, "privacy_restricted").await;
    assert_eq!(by_friend["id"], photo["id"]);
}

#[tokio::test]
async fn a_photo_of_someone_who_blocked_me_is_404() {
    let app = spawn_app().await;
    let owner = person(&app, "Aiko", "Tanaka").await;
    let me = person(&app, "Ren", "Sato").await;
    let photo = upload_png(&app, &owner).await;
    assert_no_content(block(&app, &owner, &me.id).await).await;

    let response = app
        .get(
            &format!("/api/v1/photos/{}", id_of(&photo)),
            Some(&me.access_token),
        )
        .await;

    assert_problem(response, 404, "photo_not_found").await;
}

#[tokio::test]
async fn a_users_photos_are_listed_newest_first() {
    let app = spawn_app().await;
    let owner = person(&app, "Aiko", "Tanaka").await;
    let viewer = person(&app, "Ren", "Sato").await;
    let mut uploaded = Vec::new();
    for _ in 0..3 {
        uploaded.push(id_of(&upload_png(&app, &owner).await));
    }

    let page = get_ok(&app, &format!("/api/v1/users/{}/photos", owner.id), &viewer).await;

    uploaded.reverse();
    assert_eq!(ids(&page), uploaded);
    assert!(page["nextCursor"].is_null(), "{page}");
    assert_eq!(page["items"][0]["ownerId"], owner.id.as_str());
}

#[tokio::test]
async fn a_users_photos_page_by_limit_and_cursor_without_gaps_or_repeats() {
    let app = spawn_app().await;
    let owner = app.register().await;
    let mut uploaded = Vec::new();
    for _ in 0..5 {
        uploaded.push(id_of(&upload_png(&app, &owner).await));
    }

    let items = all_pages(
        &app,
        &format!("/api/v1/users/{}/photos", owner.id),
        &owner,
        2,
    )
    .await;

    uploaded.reverse();
    assert_eq!(ids(&json!({ "items": items })), uploaded);
}

#[tokio::test]
async fn a_friends_only_photo_list_is_403_privacy_restricted_for_a_stranger() {
    let app = spawn_app().await;
    let owner = person(&app, "Aiko", "Tanaka").await;
    let stranger = person(&app, "Ren", "Sato").await;
    upload_png(&app, &owner).await;
    set_privacy(&app, &owner, "photos", "friends").await;

    let response = app
        .get(
            &format!("/api/v1/users/{}/photos", owner.id),
            Some(&stranger.access_token),
        )
        .await;

    assert_problem(response, 403, "privacy_restricted").await;
}

#[tokio::test]
async fn the_photos_of_an_unknown_user_are_404_user_not_found() {
    let app = spawn_app().await;
    let me = app.register().await;
    let path = format!("/api/v1/users/{}/photos", uuid::Uuid::new_v4());

    let response = app.get(&path, Some(&me.access_token)).await;

    assert_problem(response, 404, "user_not_found").await;
}

// ---------------------------------------------------------------------------------------------
// Captions and deletion: owner only.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_owner_can_change_the_caption() {
    let app = spawn_app().await;
    let me = app.register().await;
    let photo = upload_png(&app, &me).await;
    let path = format!("/api/v1/photos/{}", id_of(&photo));

    let response = send_json(&app, Method::PATCH, &path, &json!({"caption": "Fuji"}), &me).await;

    assert_eq!(json_with(response, 200).await["caption"], "Fuji");
    assert_eq!(get_ok(&app, &path, &me).await["caption"], "Fuji");
}

#[tokio::test]
async fn the_owner_can_clear_the_caption_with_null() {
    let app = spawn_app().await;
    let me = app.register().await;
    let photo = json_with(upload_captioned(&app, &me, png(40, 40), "old").await, 201).await;
    let path = format!("/api/v1/photos/{}", id_of(&photo));

    let response = send_json(&app, Method::PATCH, &path, &json!({"caption": null}), &me).await;

    assert!(json_with(response, 200).await["caption"].is_null());
    assert!(get_ok(&app, &path, &me).await["caption"].is_null());
}

#[tokio::test]
async fn a_patch_without_caption_keeps_it() {
    let app = spawn_app().await;
    let me = app.register().await;
    let photo = json_with(upload_captioned(&app, &me, png(40, 40), "Fuji").await, 201).await;
    let path = format!("/api/v1/photos/{}", id_of(&photo));

    let response = send_json(&app, Method::PATCH, &path, &json!({}), &me).await;

    assert_eq!(json_with(response, 200).await["caption"], "Fuji");
    assert_eq!(get_ok(&app, &path, &me).await["caption"], "Fuji");
}

#[tokio::test]
async fn someone_blocked_by_the_owner_gets_404_for_every_change_to_their_photo() {
    let app = spawn_app().await;
    let owner = person(&app, "Aiko", "Tanaka").await;
    let blocked = person(&app, "Ren", "Sato").await;
    let photo = upload_png(&app, &owner).await;
    let path = format!("/api/v1/photos/{}", id_of(&photo));
    assert_no_content(block(&app, &owner, &blocked.id).await).await;

    let edit = send_json(
        &app,
        Method::PATCH,
        &path,
        &json!({"caption": "x"}),
        &blocked,
    )
    .await;
    assert_problem(edit, 404, "photo_not_found").await;
    let delete = send(&app, Method::DELETE, &path, &blocked).await;
    assert_problem(delete, 404, "photo_not_found").await;
    let avatar = send_json(
        &app,
        Method::PUT,
        "/api/v1/users/me/avatar",
        &json!({"photoId": id_of(&photo)}),
        &blocked,
    )
    .await;
    assert_problem(avatar, 404, "photo_not_found").await;
    // The same as reading it.
    let read = send(&app, Method::GET, &path, &blocked).await;
    assert_problem(read, 404, "photo_not_found").await;
    assert!(get_ok(&app, &path, &owner).await["caption"].is_null());
}

#[tokio::test]
async fn my_photos_are_listed_at_users_me_photos() {
    let app = spawn_app().await;
    let me = app.register().await;
    let photo = upload_png(&app, &me).await;

    let mine = get_ok(&app, "/api/v1/users/me/photos", &me).await;

    assert_eq!(ids(&mine), [id_of(&photo)]);
    let by_id = get_ok(&app, &format!("/api/v1/users/{}/photos", me.id), &me).await;
    assert_eq!(mine, by_id);
}

#[tokio::test]
async fn editing_someone_elses_photo_is_403_forbidden() {
    let app = spawn_app().await;
    let owner = person(&app, "Aiko", "Tanaka").await;
    let other = person(&app, "Ren", "Sato").await;
    let photo = upload_png(&app, &owner).await;
    let path = format!("/api/v1/photos/{}", id_of(&photo));

    let response = send_json(
        &app,
        Method::PATCH,
        &path,
        &json!({"caption": "mine"}),
        &other,
    )
    .await;

    assert_problem(response, 403, "forbidden").await;
    assert!(get_ok(&app, &path, &owner).await["caption"].is_null());
}

#[tokio::test]
async fn editing_an_unknown_photo_is_404_photo_not_found() {
    let app = spawn_app().await;
    let me = app.register().await;
    let path = format!("/api/v1/photos/{}", uuid::Uuid::new_v4());

    let response = send_json(&app, Method::PATCH, &path, &json!({"caption": "x"}), &me).await;

    assert_problem(response, 404, "photo_not_found").await;
}

#[tokio::test]
async fn deleting_my_photo_answers_204_and_then_the_photo_and_its_media_are_404() {
    let app = spawn_app().await;
    let me = app.register().await;
    let photo = upload_png(&app, &me).await;
    let path = format!("/api/v1/photos/{}", id_of(&photo));

    assert_no_content(send(&app, Method::DELETE, &path, &me).await).await;

    assert_problem(
        app.get(&path, Some(&me.access_token)).await,
        404,
        "photo_not_found",
    )
    .await;
    for field in ["url", "thumbnailUrl"] {
        let response = fetch(&app, url_of(&photo, field)).await;
        assert_eq!(response.status().as_u16(), 404, "{field} still served");
    }
    let again = send(&app, Method::DELETE, &path, &me).await;
    assert_problem(again, 404, "photo_not_found").await;
}

#[tokio::test]
async fn deleting_a_photo_removes_its_files_from_the_media_directory() {
    let app = spawn_app().await;
    let me = app.register().await;
    let kept = upload_png(&app, &me).await;
    let deleted = upload_png(&app, &me).await;
    assert_eq!(files_under(&app.media_dir).len(), 4);

    let path = format!("/api/v1/photos/{}", id_of(&deleted));
    assert_no_content(send(&app, Method::DELETE, &path, &me).await).await;

    let mut expected = vec![
        key_of(url_of(&kept, "url")).to_owned(),
        key_of(url_of(&kept, "thumbnailUrl")).to_owned(),
    ];
    expected.sort();
    assert_eq!(file_names_under(&app.media_dir), expected);
}

#[tokio::test]
async fn deleting_someone_elses_photo_is_403_forbidden_and_keeps_it() {
    let app = spawn_app().await;
    let owner = person(&app, "Aiko", "Tanaka").await;
    let other = person(&app, "Ren", "Sato").await;
    let photo = upload_png(&app, &owner).await;
    let path = format!("/api/v1/photos/{}", id_of(&photo));

    let response = send(&app, Method::DELETE, &path, &other).await;

    assert_problem(response, 403, "forbidden").await;
    get_ok(&app, &path, &owner).await;
    assert_eq!(
        fetch(&app, url_of(&photo, "url")).await.status().as_u16(),
        200
    );
}

// ---------------------------------------------------------------------------------------------
// Avatars and counts.
// ---------------------------------------------------------------------------------------------

/// `PUT /users/me/avatar {photoId}` as `user`.
async fn put_avatar(
    app: &crate::support::TestApp,
    user: &crate::support::RegisteredUser,
    photo_id: &str,
) -> reqwest::Response {
    let body = json!({ "photoId": photo_id });
    send_json(app, Method::PUT, "/api/v1/users/me/avatar", &body, user).await
}

#[tokio::test]
async fn setting_my_avatar_answers_my_profile_with_the_thumbnail_url_that_others_see_too() {
    let app = spawn_app().await;
    let me = person(&app, "Aiko", "Tanaka").await;
    let other = person(&app, "Ren", "Sato").await;
    let photo = upload_png(&app, &me).await;

    let body = json_with(put_avatar(&app, &me, &id_of(&photo)).await, 200).await;

    assert_eq!(body["id"], me.id.as_str());
    assert_eq!(body["email"], me.email.as_str());
    assert_eq!(body["avatarUrl"], photo["thumbnailUrl"]);
    assert_eq!(
        profile(&app, &other, &me.id).await["avatarUrl"],
        photo["thumbnailUrl"]
    );
    assert_eq!(
        get_ok(&app, "/api/v1/users/me", &me).await["avatarUrl"],
        photo["thumbnailUrl"]
    );
}

#[tokio::test]
async fn using_someone_elses_photo_as_my_avatar_is_403_forbidden() {
    let app = spawn_app().await;
    let owner = person(&app, "Aiko", "Tanaka").await;
    let me = person(&app, "Ren", "Sato").await;
    let photo = upload_png(&app, &owner).await;

    let response = put_avatar(&app, &me, &id_of(&photo)).await;

    assert_problem(response, 403, "forbidden").await;
    assert!(get_ok(&app, "/api/v1/users/me", &me).await["avatarUrl"].is_null());
}

#[tokio::test]
async fn an_unknown_photo_as_my_avatar_is_404_photo_not_found() {
    let app = spawn_app().await;
    let me = app.register().await;

    let response = put_avatar(&app, &me, &uuid::Uuid::new_v4().to_string()).await;

    assert_problem(response, 404, "photo_not_found").await;
}

#[tokio::test]
async fn a_malformed_photo_id_as_my_avatar_is_422_on_photo_id() {
    let app = spawn_app().await;
    let me = app.register().await;

    let response = put_avatar(&app, &me, "not-a-uuid").await;

    let body = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "photoId", "{body}");
}

#[tokio::test]
async fn removing_my_avatar_answers_my_profile_with_avatar_url_null() {
    let app = spawn_app().await;
    let me = app.register().await;
    let photo = upload_png(&app, &me).await;
    json_with(put_avatar(&app, &me, &id_of(&photo)).await, 200).await;

    let response = send(&app, Method::DELETE, "/api/v1/users/me/avatar", &me).await;

    let body = json_with(response, 200).await;
    assert_eq!(body["id"], me.id.as_str());
    assert!(body["avatarUrl"].is_null(), "{body}");
    assert!(get_ok(&app, "/api/v1/users/me", &me).await["avatarUrl"].is_null());
}

#[tokio::test]
async fn deleting_the_photo_used_as_my_avatar_clears_my_avatar() {
    let app = spawn_app().await;
    let me = app.register().await;
    let photo = upload_png(&app, &me).await;
    json_with(put_avatar(&app, &me, &id_of(&photo)).await, 200).await;

    let path = format!("/api/v1/photos/{}", id_of(&photo));
    assert_no_content(send(&app, Method::DELETE, &path, &me).await).await;

    assert!(get_ok(&app, "/api/v1/users/me", &me).await["avatarUrl"].is_null());
}

#[tokio::test]
async fn photos_count_counts_a_users_photos() {
    let app = spawn_app().await;
    let owner = person(&app, "Aiko", "Tanaka").await;
    let viewer = person(&app, "Ren", "Sato").await;
    upload_png(&app, &owner).await;
    upload_png(&app, &owner).await;

    let mine = get_ok(&app, "/api/v1/users/me", &owner).await;
    let seen = profile(&app, &viewer, &owner.id).await;

    assert_eq!(mine["photosCount"], 2);
    assert_eq!(seen["photosCount"], 2);
}

#[tokio::test]
async fn photos_count_is_null_for_a_stranger_when_photos_are_friends_only() {
    let app = spawn_app().await;
    let owner = person(&app, "Aiko", "Tanaka").await;
    let stranger = person(&app, "Ren", "Sato").await;
    upload_png(&app, &owner).await;
    set_privacy(&app, &owner, "photos", "friends").await;

    let seen = profile(&app, &stranger, &owner.id).await;

    assert!(seen["photosCount"].is_null(), "{seen}");
}

// ---------------------------------------------------------------------------------------------
// /media.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn media_is_served_without_a_token_with_immutable_cache_headers_and_a_strong_etag() {
    let app = spawn_app().await;
    let me = app.register().await;
    let photo = upload_png(&app, &me).await;

    let response = fetch(&app, url_of(&photo, "url")).await;

    assert_eq!(response.status().as_u16(), 200);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(
        header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(header("x-content-type-options"), "nosniff");
    let etag = header("etag");
    assert!(
        etag.len() > 2 && etag.starts_with('"') && etag.ends_with('"'),
        "a strong, quoted ETag: {etag:?}"
    );
}

#[tokio::test]
async fn media_is_served_with_the_content_type_of_its_kind() {
    let app = spawn_app().await;
    let me = app.register().await;

    for (bytes, content_type) in [
        (jpeg(64, 48), "image/jpeg"),
        (png(64, 48), "image/png"),
        (webp(64, 48), "image/webp"),
        (gif(64, 48, [1, 2, 3], [4, 5, 6]), "image/gif"),
    ] {
        let photo = upload_ok(&app, &me, bytes).await;

        let response = fetch(&app, url_of(&photo, "url")).await;

        assert_eq!(response.status().as_u16(), 200, "{content_type}");
        let actual = response.headers().get("content-type").cloned();
        assert_eq!(
            actual.as_ref().and_then(|v| v.to_str().ok()),
            Some(content_type)
        );
    }
}

#[tokio::test]
async fn media_answers_304_when_if_none_match_is_its_etag() {
    let app = spawn_app().await;
    let me = app.register().await;
    let photo = upload_png(&app, &me).await;
    let url = url_of(&photo, "url");
    let first = fetch(&app, url).await;
    let etag = first.headers().get("etag").cloned().expect("an ETag");

    let response = app
        .request(Method::GET, url)
        .header("if-none-match", etag.clone())
        .send()
        .await
        .expect("GET");

    assert_eq!(response.status().as_u16(), 304);
    assert_eq!(response.headers().get("etag"), Some(&etag));
    assert!(response.bytes().await.expect("body").is_empty());
}

#[tokio::test]
async fn an_unknown_media_key_or_anything_that_is_not_a_key_is_a_404_problem() {
    let app = spawn_app().await;
    let me = app.register().await;
    let photo = upload_png(&app, &me).await;
    let key = key_of(url_of(&photo, "url")).to_owned();
    let (hex, _) = key.split_once('.').expect("hex.ext");

    for path in [
        format!("/media/{}.png", "ab".repeat(32)),
        "/media/..%2F..%2Fetc%2Fpasswd".to_owned(),
        "/media/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd".to_owned(),
        "/media/x.png".to_owned(),
        format!("/media/{}.png", hex.to_uppercase()),
        format!("/media/{hex}"),
        format!("/media/{hex}.exe"),
        format!("/media/{hex}.jpg"),
        format!("/media/{}.png", &hex[..32]),
    ] {
        let response = fetch(&app, &path).await;

        assert_eq!(response.status().as_u16(), 404, "{path}");
        let problem = response.headers().get("content-type").cloned();
        let body = response.text().await.unwrap_or_default();
        assert!(
            problem.is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json")),
            "{path}: not a problem: {body}"
        );
    }
}

#[tokio::test]
async fn a_caption_with_a_nul_byte_is_422_and_changes_nothing() {
    let app = spawn_app().await;
    let owner = app.register().await;
    let photo = upload_ok(&app, &owner, png(40, 20)).await;
    let id = photo["id"].as_str().unwrap();
    let response = app
        .request(Method::PATCH, &format!("/api/v1/photos/{id}"))
        .bearer_auth(&owner.access_token)
        .json(&json!({"caption": "a\u{0}b"}))
        .send()
        .await
        .unwrap();
    let body = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "caption");
}

#[tokio::test]
async fn the_sweep_removes_old_orphan_files_only() {
    let app = spawn_app_with(&[("PHOTO_SWEEP_INTERVAL", "200ms")]).await;
    let user = app.register().await;
    let photo = upload_png(&app, &user).await;
    let orphan = |hex: char| {
        let key = format!("{}.png", hex.to_string().repeat(64));
        let dir = app.media_dir.join(&key[..2]);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(&key);
        std::fs::write(&path, b"left by a crash").unwrap();
        path
    };
    let old = orphan('a');
    let young = orphan('b');
    // Everything but `young` is two hours old: the photo's own files too.
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    for fan_out in std::fs::read_dir(&app.media_dir).unwrap() {
        for file in std::fs::read_dir(fan_out.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            if path != young {
                std::fs::File::options()
                    .write(true)
                    .open(&path)
                    .unwrap()
                    .set_modified(two_hours_ago)
                    .unwrap();
            }
        }
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while old.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the old orphan was never swept"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(young.exists(), "a young file may be an upload in flight");
    // The photo's own files stay, however old.
    for url in ["url", "thumbnailUrl"] {
        let url = photo[url].as_str().unwrap();
        assert_eq!(fetch(&app, url).await.status(), 200, "{url}");
    }
}
