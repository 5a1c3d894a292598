// A small client written against the types openapi-typescript generates from Sakura's OpenAPI
// document (schema.d.ts, written by the test). It only has to compile with `tsc --strict`: each
// line is something a real client does and a loose document would break.
import type { components, operations, paths } from "./schema";

type Schemas = components["schemas"];

// `limit` is an integer and the other query parameters have their real types.
const page: NonNullable<operations["list_notifications"]["parameters"]["query"]> = {
  limit: 20,
  unread: true,
};
const requests: NonNullable<operations["list_requests"]["parameters"]["query"]> = {
  direction: "outgoing",
  limit: 100,
  cursor: "opaque",
};
const search: operations["search"]["parameters"]["query"] = { q: "Tanaka", limit: 5 };

// Every fixed set of values is a union a `switch` can be exhaustive over.
function describe(kind: Schemas["NotificationKindDto"]): string {
  switch (kind) {
    case "friend_request":
      return "asked to be friends";
    case "friend_accepted":
      return "accepted";
    case "post_liked":
      return "liked a post";
    case "post_commented":
      return "commented";
    case "chat_added":
      return "added me to a chat";
    default: {
      const never: never = kind;
      return never;
    }
  }
}
const theme: Schemas["ThemeDto"] = "dark";
const privacy: Schemas["PrivacyDto"] = {
  profile: "friends",
  friends: "everyone",
  photos: "friends",
  messages: "nobody",
};
const subject: Schemas["SubjectTypeDto"] = "chat";
const relation: Schemas["FriendshipDto"] = "self";
const direction: Schemas["RequestDirectionDto"] = "incoming";

// A problem can be built (and read) as a plain object.
const problem: Schemas["Problem"] = {
  type: "about:blank",
  title: "Unprocessable Entity",
  status: 422,
  detail: "limit: must be a whole number from 1 to 100",
  code: "validation_failed",
  errors: [{ field: "limit", message: "must be a whole number from 1 to 100" }],
};
const notReady: Schemas["Problem"] = {
  type: "about:blank",
  title: "Service Unavailable",
  status: 503,
  detail: "not ready: redis unavailable",
  code: "dependency_unavailable",
  checks: { postgres: "up", redis: "down" },
};
const health: Schemas["Health"] = { status: "ok", checks: { postgres: "up", redis: "up" } };

// Request bodies: the required fields must be given, the optional ones may be left out.
const register: Schemas["RegisterRequest"] = {
  firstName: "Aiko",
  lastName: "Tanaka",
  email: "aiko@example.com",
  password: "katana123",
};
// @ts-expect-error: `password` is required.
const incomplete: Schemas["LoginRequest"] = { email: "aiko@example.com" };
const settings: Schemas["UpdateSettingsRequest"] = { theme: "light", privacy: { messages: "friends" } };
const markRead: Schemas["MarkReadRequest"] = { all: true };

// The answers of an operation, by status, include the shared ones.
type Refresh = paths["/api/v1/auth/refresh"]["post"]["responses"];
const refreshFailed: Refresh[422]["content"]["application/problem+json"] = problem;
const unavailable: Refresh[503]["content"]["application/problem+json"] = notReady;
type Media = paths["/media/{key}"]["get"]["responses"];
const bytes: Media[200]["content"]["image/*"] = "binary";

export {
  page,
  requests,
  search,
  describe,
  theme,
  privacy,
  subject,
  relation,
  direction,
  problem,
  notReady,
  health,
  register,
  incomplete,
  settings,
  markRead,
  refreshFailed,
  unavailable,
  bytes,
};
