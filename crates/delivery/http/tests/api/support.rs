//! A world of fakes behind the real app, and helpers to call it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use actix_web::http::header::{self, HeaderMap};
use actix_web::test::{self, TestRequest};
use async_trait::async_trait;
use sakura_application::StoreError;
use sakura_application::auth::{Authenticate, LoginLimits};
use sakura_application::blocks::{BlockUser, ListBlocks, UnblockUser};
use sakura_application::chats::{
    ChangeGroup, CreateDirectChat, CreateGroup, DeleteMessage, EditMessage, GetChat, ListChats,
    ListMessages, MarkChatRead, ReactToMessage, SearchMessages, SendMessage,
};
use sakura_application::friends::{ChangeFriendship, ListFriends, ListRequests, MutualFriends};
use sakura_application::notifications::{ListNotifications, MarkNotificationsRead, UnreadCount};
use sakura_application::photos::{
    DeletePhoto, GetMedia, GetPhoto, ListPhotos, SetAvatar, UpdateCaption, UploadPhoto,
};
use sakura_application::ports::DependencyProbe;
use sakura_application::testing::{
    AuthWorld, FakeImages, InMemoryBlobs, InMemoryChats, InMemoryPhotos, InMemorySocial,
};
use sakura_application::users::{
    GetMe, GetProfile, SearchUsers, SuggestPeople, UpdateMe, UpdateSettings,
};
use sakura_http::{AppData, HttpConfig, HttpMetrics};
use sakura_services::{
    AuthServices, Authentication, BlockServices, ChatServices, FriendServices, MetricsRegistry,
    NotificationServices, OpsServices, PhotoServices, UserServices,
};
use serde_json::{Value, json};

/// The messenger's use cases over the in-memory chats.
fn chat_services(chats: &Arc<InMemoryChats>, auth: &AuthWorld) -> ChatServices {
    let (events, clock) = (&auth.events, &auth.clock);
    ChatServices {
        create_direct: CreateDirectChat::new(chats.clone(), events.clone(), clock.clone()),
        create_group: CreateGroup::new(chats.clone(), events.clone(), clock.clone()),
        get_chat: GetChat::new(chats.clone()),
        list_chats: ListChats::new(chats.clone()),
        change_group: ChangeGroup::new(chats.clone(), events.clone(), clock.clone()),
        send_message: SendMessage::new(chats.clone(), events.clone(), clock.clone()),
        list_messages: ListMessages::new(chats.clone()),
        edit_message: EditMessage::new(chats.clone(), events.clone(), clock.clone()),
        delete_message: DeleteMessage::new(chats.clone(), events.clone(), clock.clone()),
        react: ReactToMessage::new(chats.clone(), events.clone(), clock.clone()),
        mark_read: MarkChatRead::new(chats.clone(), events.clone(), clock.clone()),
        search: SearchMessages::new(chats.clone()),
    }
}

/// A readiness probe whose answer a test switches.
#[derive(Default)]
pub struct FakeProbe {
    down: AtomicBool,
}

impl FakeProbe {
    pub fn set_down(&self, down: bool) {
        self.down.store(down, Ordering::SeqCst);
    }
}

#[async_trait]
impl DependencyProbe for FakeProbe {
    fn name(&self) -> &'static str {
        "redis"
    }

    async fn check(&self) -> Result<(), StoreError> {
        if self.down.load(Ordering::SeqCst) {
            Err(StoreError::unavailable(anyhow::anyhow!("fake probe down")))
        } else {
            Ok(())
        }
    }
}

/// Every fake, wired into every feature's services as the server wires the real adapters.
pub struct World {
    pub auth: AuthWorld,
    pub photos: Arc<InMemoryPhotos>,
    pub blobs: Arc<InMemoryBlobs>,
    pub redis: Arc<FakeProbe>,
    data: AppData,
}

impl World {
    pub fn new() -> Self {
        let auth = AuthWorld {
            limits: LoginLimits {
                per_email: 3,
                per_ip: 100,
                window: std::time::Duration::from_secs(60),
            },
            ..AuthWorld::default()
        };
        let social = Arc::new(InMemorySocial::new(auth.users.clone()));
        let photos = Arc::new(InMemoryPhotos::default());
        let blobs = Arc::new(InMemoryBlobs::default());
        let chats = Arc::new(InMemoryChats::default());
        let redis = Arc::new(FakeProbe::default());
        let metrics = Arc::new(MetricsRegistry::default());
        let get_me = || GetMe::new(auth.users.clone(), social.clone());
        let data = AppData::default()
            .with(HttpConfig {
                trust_proxy: false,
                secure_cookies: true,
            })
            .with(HttpMetrics::new(&metrics))
            .with(Authentication::new(Authenticate::new(
                auth.access.clone(),
                auth.sessions.clone(),
            )))
            .with(OpsServices {
                probes: vec![redis.clone() as Arc<dyn DependencyProbe>],
                metrics,
            })
            .with(AuthServices {
                register: auth.register(),
                login: auth.login(),
                refresh: auth.refresh_session(),
                logout: auth.logout(),
                logout_all: auth.logout_all(),
                list_sessions: auth.list_sessions(),
                revoke_session: auth.revoke_session(),
                change_password: auth.change_password(),
                get_me: get_me(),
            })
            .with(UserServices {
                get_me: get_me(),
                update_me: UpdateMe::new(auth.users.clone(), auth.clock.clone()),
                update_settings: UpdateSettings::new(
                    auth.users.clone(),
                    auth.events.clone(),
                    auth.clock.clone(),
                ),
                get_profile: GetProfile::new(social.clone()),
                search_users: SearchUsers::new(social.clone()),
                suggest_people: SuggestPeople::new(social.clone()),
                list_friends: ListFriends::new(social.clone()),
                mutual_friends: MutualFriends::new(social.clone()),
            })
            .with(FriendServices {
                change_friendship: ChangeFriendship::new(
                    social.clone(),
                    social.clone(),
                    auth.events.clone(),
                    auth.clock.clone(),
                ),
                list_requests: ListRequests::new(social.clone()),
            })
            .with(BlockServices {
                block_user: BlockUser::new(social.clone(), auth.events.clone(), auth.clock.clone()),
                unblock_user: UnblockUser::new(
                    social.clone(),
                    auth.events.clone(),
                    auth.clock.clone(),
                ),
                list_blocks: ListBlocks::new(social.clone()),
            })
            .with(PhotoServices {
                upload_photo: UploadPhoto::new(
                    photos.clone(),
                    blobs.clone(),
                    Arc::new(FakeImages),
                    auth.clock.clone(),
                ),
                get_photo: GetPhoto::new(photos.clone(), social.clone()),
                list_photos: ListPhotos::new(photos.clone(), social.clone()),
                update_caption: UpdateCaption::new(photos.clone(), social.clone()),
                delete_photo: DeletePhoto::new(photos.clone(), blobs.clone(), social.clone()),
                set_avatar: SetAvatar::new(photos.clone(), social.clone()),
                get_media: GetMedia::new(blobs.clone()),
                get_me: get_me(),
            })
            .with(NotificationServices {
                list_notifications: ListNotifications::new(social.clone(), social.clone()),
                unread_count: UnreadCount::new(social.clone(), chats.clone()),
                mark_notifications_read: MarkNotificationsRead::new(
                    social.clone(),
                    auth.events.clone(),
                    auth.clock.clone(),
                ),
            })
            .with(chat_services(&chats, &auth));
        Self {
            auth,
            photos,
            blobs,
            redis,
            data,
        }
    }

    /// The same world with `/metrics` served only by the ops app (`METRICS_ADDR`).
    pub fn metrics_elsewhere(mut self) -> Self {
        self.data = self.data.metrics_elsewhere();
        self
    }

    /// Sends `request` through the whole app (telemetry and problem mapping included).
    pub async fn call(&self, request: TestRequest) -> Reply {
        self.call_with(|_| {}, request).await
    }

    /// Like [`World::call`], with `extra` registering more routes (as the server registers the
    /// WebSocket's).
    pub async fn call_with(
        &self,
        extra: impl FnOnce(&mut actix_web::web::ServiceConfig) + 'static,
        request: TestRequest,
    ) -> Reply {
        let app = test::init_service(sakura_http::app(self.data.clone(), extra)).await;
        Reply::read(test::call_service(&app, request.to_request()).await).await
    }
    /// Sends `request` through the metrics listener's app.
    pub async fn call_ops(&self, request: TestRequest) -> Reply {
        let app = test::init_service(sakura_http::ops_app(self.data.clone())).await;
        Reply::read(test::call_service(&app, request.to_request()).await).await
    }

    /// The samples `/metrics` answers now, one per line, without comments.
    pub async fn samples(&self) -> Vec<String> {
        let reply = self.call(get("/metrics")).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply
            .text
            .lines()
            .filter(|line| !line.starts_with('#'))
            .map(str::to_owned)
            .collect()
    }

    /// The value of `sample` (`name{labels}`) in `/metrics`, if present.
    pub async fn sample(&self, sample: &str) -> Option<f64> {
        self.samples().await.iter().find_map(|line| {
            let (name, value) = line.rsplit_once(' ')?;
            (name == sample).then(|| value.parse().ok())?
        })
    }
}

impl Reply {
    async fn read(
        response: actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
    ) -> Self {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = test::read_body(response).await;
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }
}

impl World {
    /// Registers someone through the API.
    pub async fn register(&self, first_name: &str) -> User {
        let email = format!("{}@example.com", first_name.to_lowercase());
        let reply = self
            .call(post_json(
                "/api/v1/auth/register",
                &json!({
                    "firstName": first_name,
                    "lastName": "Tanaka",
                    "email": email,
                    "password": "katana123",
                }),
            ))
            .await;
        assert_eq!(reply.status, 201, "register {first_name}: {}", reply.text);
        User {
            id: reply.body["user"]["id"].as_str().unwrap().to_owned(),
            email,
            token: reply.body["accessToken"].as_str().unwrap().to_owned(),
        }
    }

    /// Sends `request` with `user`'s access token.
    pub async fn as_user(&self, user: &User, request: TestRequest) -> Reply {
        self.call(request.insert_header(user.bearer())).await
    }
}

/// Someone registered through the API.
pub struct User {
    pub id: String,
    pub email: String,
    pub token: String,
}

impl User {
    pub fn bearer(&self) -> (header::HeaderName, String) {
        (header::AUTHORIZATION, format!("Bearer {}", self.token))
    }
}

/// An answer, read whole.
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    /// Asserts a problem with this status and code; returns its body.
    pub fn problem(&self, status: u16, code: &str) -> &Value {
        assert_eq!(self.status, status, "status of {}", self.text);
        let content_type = self
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            content_type.starts_with("application/problem+json"),
            "content-type {content_type}"
        );
        assert_eq!(self.body["code"], code, "code in {}", self.text);
        assert_eq!(self.body["status"], status, "status in {}", self.text);
        assert!(self.body["title"].is_string() && self.body["detail"].is_string());
        &self.body
    }

    /// The fields named in a `validation_failed` problem's `errors`.
    pub fn fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

pub fn get(path: &str) -> TestRequest {
    TestRequest::get().uri(path)
}

pub fn delete(path: &str) -> TestRequest {
    TestRequest::delete().uri(path)
}

pub fn post_json(path: &str, body: &Value) -> TestRequest {
    TestRequest::post().uri(path).set_json(body)
}

pub fn patch_json(path: &str, body: &Value) -> TestRequest {
    TestRequest::patch().uri(path).set_json(body)
}

pub fn put_json(path: &str, body: &Value) -> TestRequest {
    TestRequest::put().uri(path).set_json(body)
}

/// A `multipart/form-data` upload of `file` (and a caption, if any) to `POST /api/v1/photos`.
pub fn upload(file: &[u8], caption: Option<&str>) -> TestRequest {
    const BOUNDARY: &str = "sakura-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(b"\r\n");
    if let Some(caption) = caption {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\n{caption}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    TestRequest::post()
        .uri("/api/v1/photos")
        .insert_header((
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        ))
        .set_payload(body)
}
