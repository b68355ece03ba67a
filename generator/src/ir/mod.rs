//! The intermediate representation: one API as plain Rust data, with every
//! name already chosen and every reference resolved. `lower` builds it from
//! the OpenAPI document; `emit` turns it into Rust source and never looks back
//! at the document.

mod examples;
mod pagination;
mod security;
mod types;

pub use examples::{Example, ExampleSource, OperationExamples};
pub use pagination::{CursorTarget, FieldStep, Layer, PageStyle, Pagination};
pub use security::{ApiKeyLocation, AuthKind, ClientCredentialsFlow, SecurityScheme, TokenRefresh};
pub use types::{EnumVariant, Field, FieldDefault, IntVariant, Tagging, TypeDef, TypeId, TypeKind, TypeRef, UnionVariant};

/// One API: its client, operations and types.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The servers, in document order.
    pub servers: Vec<Server>,
    /// Security schemes, in document order; operations refer to them by index.
    pub security_schemes: Vec<SecurityScheme>,
    /// Operation groups (one per first tag), in order of first appearance.
    pub groups: Vec<Group>,
    /// Named types, in a deterministic order.
    pub types: Vec<TypeDef>,
}

/// Which Cargo feature compiles in which operations and types: every tag
/// (or, for an operation without tags, the first segment of its path) is a
/// feature that brings its operations and exactly the types they reach.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureLayout {
    /// The features, in order of first appearance; the others refer to them by index.
    pub features: Vec<Feature>,
    /// The feature that turns on every other one, and the types no operation reaches.
    pub all: String,
    /// The feature of each operation: `operations[group][operation]`.
    pub operations: Vec<Vec<usize>>,
    /// The features that need each type, ascending, by index in `Api::types`;
    /// empty for a type no operation reaches (compiled in with `all` only).
    pub types: Vec<Vec<usize>>,
    /// The types grouped by gate, one file per distinct set of features, in
    /// order of each set's first type.
    pub type_files: Vec<TypeFile>,
    /// The operations grouped by feature, one file per feature, in the
    /// features' order.
    pub operation_files: Vec<OperationFile>,
}

/// The types compiled in under one gate, written to one file of the `types`
/// module, so that rustc reads only the files of the features that are on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeFile {
    /// The submodule and file stem: the feature's name when one feature needs
    /// these types, else the first type's.
    pub module: String,
    /// The features that need these types (any one of them turns the file
    /// on); empty for types no operation reaches.
    pub features: Vec<usize>,
    /// The types, by index in `Api::types`, in order.
    pub types: Vec<usize>,
}

/// The operations of one feature, written to one file of the `operations`
/// module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationFile {
    /// The submodule and file stem, from the feature's name.
    pub module: String,
    /// The feature, by index.
    pub feature: usize,
    /// The operations, as (group, operation) indices, in order.
    pub operations: Vec<(usize, usize)>,
}


/// One per-tag Cargo feature.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// The Cargo feature name (kebab case).
    pub name: String,
    /// What it stands for: the tag, or `/segment` for untagged operations.
    pub source: String,
    /// How many operations it brings.
    pub operations: usize,
}

impl Api {
    /// The optional parts of the runtime this API uses, by their Cargo
    /// feature: `multipart` bodies, `signing` of requests, `streaming` of
    /// binary bodies, `sse` event streams.
    pub fn runtime_features(&self) -> Vec<&'static str> {
        let operations = || self.groups.iter().flat_map(|group| &group.operations);
        let multipart = operations().any(|op| matches!(&op.body, Some(RequestBody { kind: BodyKind::Multipart, .. })));
        let signing = self.security_schemes.iter().any(|scheme| matches!(scheme.kind, AuthKind::BodySignature { .. }));
        let streaming = operations().any(|op| op.streams_bytes().is_some());
        let sse = operations().any(|op| op.event_data().is_some());
        [(multipart, "multipart"), (signing, "signing"), (streaming, "streaming"), (sse, "sse")]
            .into_iter()
            .filter(|(used, _)| *used)
            .map(|(_, name)| name)
            .collect()
    }
}

/// A server the API can be reached at.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// Name of the constant (or function, with variables) in `servers`.
    pub name: String,
    /// The URL template, e.g. `https://{subdomain}.example.com`.
    pub url: String,
    /// `description`.
    pub description: Option<String>,
    /// Template variables, in the order they appear in the URL.
    pub variables: Vec<ServerVariable>,
    /// The URL is a path (`/v2`, `/`): its helper joins it to an origin the
    /// caller gives. Otherwise it is absolute (`//host` and a bare `host`
    /// became `https://` in lowering).
    pub relative: bool,
}

/// One `{variable}` of a server URL.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerVariable {
    /// Name as written in the URL.
    pub wire: String,
    /// Rust parameter name.
    pub ident: String,
    /// Default value.
    pub default: String,
    /// `description`.
    pub description: Option<String>,
    /// Where it stands in the URL, which decides the values it accepts.
    pub place: ServerPlace,
    /// `enum`: the only values it takes (any that fits its place when empty).
    pub values: Vec<String>,
    /// The values its helper's doctest calls it with, each one the helper
    /// accepts: the default, another `enum` value and the spec's `x-examples`.
    pub examples: Vec<String>,
}

/// Where a server variable stands in its URL: the runtime's own type
/// (`templates/runtime/servers.rs`), so that the places the generator finds
/// are the ones the generated helpers check.
pub use crate::server_rules::ServerPlace;

/// Operations that share their first tag, reached as `client.<accessor>()`.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The tag, as the spec writes it.
    pub tag: String,
    /// The accessor method on the client.
    pub accessor: String,
    /// The struct the accessor returns.
    pub type_name: String,
    /// The tag's description.
    pub description: Option<String>,
    /// The operations, in document order.
    pub operations: Vec<Operation>,
}

/// One HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId` (or the name derived from method and path).
    pub id: String,
    /// The operation's first tag, if it has one (its group may be `default`).
    pub tag: Option<String>,
    /// The method on the group, snake case.
    pub method_name: String,
    /// The request builder type.
    pub builder: String,
    /// Upper-case HTTP method.
    pub http_method: String,
    /// The path template, split into literal text and parameters.
    pub path: Vec<PathPart>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// Parameters, path ones first in path order, then the others in document order.
    pub params: Vec<Param>,
    /// The request body.
    pub body: Option<RequestBody>,
    /// What a success looks like.
    pub success: Outcome,
    /// What a documented failure looks like.
    pub failure: Outcome,
    /// Security alternatives: each inner list holds the indexes (in
    /// `Api::security_schemes`) of schemes that apply together; an empty list
    /// allows anonymous calls.
    pub security: Vec<Vec<usize>>,
    /// The `Accept` header: the media types of the documented responses.
    pub accept: Option<String>,
    /// How to walk the pages of a list (`x-pagination`), when the spec says.
    pub pagination: Option<Pagination>,
    /// The spec's examples of this operation's parameters, body and answers.
    pub examples: OperationExamples,
}

impl Operation {
    /// Doc text: the summary, then the description.
    pub fn doc(&self) -> Option<String> {
        let summary = self.summary.as_deref().map(str::trim);
        let description = self.description.as_deref().map(str::trim);
        match (summary, description) {
            (Some(summary), Some(description)) => Some(format!("{summary}\n\n{description}")),
            (one, other) => one.or(other).map(str::to_owned),
        }
    }

    /// Whether some security alternative names a scheme; `security: [{}]`
    /// alone, like no `security`, means no credentials.
    pub fn names_security_schemes(&self) -> bool {
        self.security.iter().any(|alternative| !alternative.is_empty())
    }

    /// How the operation streams binary bodies, if it does: its request
    /// body, its successful answer, or both.
    pub fn streams_bytes(&self) -> Option<ByteStreams> {
        let upload = matches!(&self.body, Some(RequestBody { kind: BodyKind::Binary(_), .. }));
        let download = self.success.ty == OutcomeType::Single(Payload::Binary);
        (upload || download).then_some(ByteStreams { upload, download })
    }

    /// The type of the data of the events a successful answer streams, when
    /// it is a `text/event-stream` (`Some(None)`: raw text).
    pub fn event_data(&self) -> Option<Option<&TypeRef>> {
        match &self.success.ty {
            OutcomeType::Single(Payload::Events(data)) => Some(data.as_ref()),
            _ => None,
        }
    }

    /// Every use of a type in the operation: parameters, body, every
    /// response (and the outcome's single type), the items of its pages.
    pub fn type_refs(&self) -> Vec<&TypeRef> {
        let params = self.params.iter().map(|param| &param.ty);
        let body = self.body.iter().filter_map(|body| match &body.kind {
            BodyKind::Json(ty) | BodyKind::Form(ty) => Some(ty),
            BodyKind::Multipart | BodyKind::Text(_) | BodyKind::Binary(_) => None,
        });
        let payloads = [&self.success, &self.failure].into_iter().flat_map(|outcome| {
            let single = match &outcome.ty {
                OutcomeType::Single(payload) => Some(payload),
                OutcomeType::Enum { .. } => None,
            };
            outcome.arms.iter().map(|arm| &arm.payload).chain(single)
        });
        let responses = payloads.filter_map(|payload| match payload {
            Payload::Json(ty) | Payload::Events(Some(ty)) => Some(ty),
            Payload::Empty | Payload::Text | Payload::Binary | Payload::Events(None) => None,
        });
        let pages = self.pagination.iter().map(|pagination| &pagination.item);
        params.chain(body).chain(responses).chain(pages).collect()
    }

    /// [`Operation::type_refs`], to change them.
    pub fn type_refs_mut(&mut self) -> Vec<&mut TypeRef> {
        let params = self.params.iter_mut().map(|param| &mut param.ty);
        let body = self.body.iter_mut().filter_map(|body| match &mut body.kind {
            BodyKind::Json(ty) | BodyKind::Form(ty) => Some(ty),
            BodyKind::Multipart | BodyKind::Text(_) | BodyKind::Binary(_) => None,
        });
        let payloads = [&mut self.success, &mut self.failure].into_iter().flat_map(|outcome| {
            let single = match &mut outcome.ty {
                OutcomeType::Single(payload) => Some(payload),
                OutcomeType::Enum { .. } => None,
            };
            outcome.arms.iter_mut().map(|arm| &mut arm.payload).chain(single)
        });
        let responses = payloads.filter_map(|payload| match payload {
            Payload::Json(ty) | Payload::Events(Some(ty)) => Some(ty),
            Payload::Empty | Payload::Text | Payload::Binary | Payload::Events(None) => None,
        });
        let pages = self.pagination.iter_mut().map(|pagination| &mut pagination.item);
        params.chain(body).chain(responses).chain(pages).collect()
    }
}

/// Which binary bodies of an operation stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteStreams {
    /// The request body can come from a stream or a file.
    pub upload: bool,
    /// The successful answer can be read as a stream.
    pub download: bool,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq)]
pub enum PathPart {
    /// Text sent as is.
    Literal(String),
    /// The parameter with this index in `Operation::params`.
    Param(usize),
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In the `Cookie` header.
    Cookie,
}

/// The serialization of a query parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `form`, exploded (the default).
    FormExploded,
    /// `form`, not exploded.
    Form,
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
    /// `deepObject`.
    DeepObject,
    /// A parameter described by `content`: its value as one JSON text.
    Json,
}

/// One parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Name as sent.
    pub wire: String,
    /// Rust name of the argument or setter.
    pub ident: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Its type.
    pub ty: TypeRef,
    /// Required parameters are positional; optional ones are setters.
    pub required: bool,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// Query serialization (ignored elsewhere).
    pub style: QueryStyle,
    /// What a header parameter is for, beyond carrying its value.
    pub role: HeaderRole,
}

/// What a header parameter is for, beyond carrying its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderRole {
    /// An ordinary header (and every parameter that is not a header).
    Plain,
    /// An idempotency key: setting it makes any method safe to retry, and,
    /// as the server accepts each key once, a walk over pages refuses it.
    IdempotencyKey,
    /// A value the server accepts on one request only (`x-single-use: true`,
    /// such as a one-time authorization token): a walk over pages refuses it.
    SingleUse,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// How it is encoded.
    pub kind: BodyKind,
    /// Required bodies are the last positional argument; optional ones a `body` setter.
    pub required: bool,
    /// `description`.
    pub description: Option<String>,
    /// For a form body, how the properties whose `encoding` differs from
    /// `form`, exploded, are written; empty otherwise.
    pub form_fields: Vec<FormField>,
}

/// How one property of a form body is written (OpenAPI's `encoding` object).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormField {
    /// The property, as the spec names it.
    pub name: String,
    /// `style`.
    pub style: FormStyle,
    /// `explode` (true by default for `form`, false for the others).
    pub explode: bool,
    /// Whether its `contentType` is JSON: the value is sent as JSON text.
    pub json: bool,
}

/// The `style` of a form property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormStyle {
    /// `form`.
    Form,
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
    /// `deepObject`.
    DeepObject,
}

/// The encoding of a request body.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    /// JSON (`application/json` and `+json` types).
    Json(TypeRef),
    /// `application/x-www-form-urlencoded`.
    Form(TypeRef),
    /// `multipart/form-data`, built by the caller as a `reqwest::multipart::Form`.
    Multipart,
    /// Text such as `text/plain` or XML, with its media type.
    Text(String),
    /// Bytes, with their media type.
    Binary(String),
}

/// The documented responses of one side (success or failure) of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The Rust type the caller gets.
    pub ty: OutcomeType,
    /// One arm per documented status.
    pub arms: Vec<ResponseArm>,
}

/// The type an outcome decodes into.
#[derive(Debug, Clone, PartialEq)]
pub enum OutcomeType {
    /// Every response decodes into the same payload.
    Single(Payload),
    /// Responses differ: an enum with one variant per status.
    Enum {
        /// The enum's name.
        name: String,
        /// Its doc line.
        doc: String,
    },
}

/// One documented status of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseArm {
    /// Which statuses match.
    pub status: StatusMatch,
    /// What the body holds.
    pub payload: Payload,
    /// The variant of the outcome enum, when `OutcomeType::Enum`.
    pub variant: Option<String>,
    /// `description`.
    pub description: String,
}

/// The statuses a response arm matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusMatch {
    /// One status.
    Code(u16),
    /// `1XX`…`5XX`: the hundred starting here.
    Range(u16),
    /// `default`: everything not matched otherwise.
    Default,
}

/// What a response body decodes into.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// No body.
    Empty,
    /// A JSON body.
    Json(TypeRef),
    /// A text body (plain text, XML, HTML) as `String`.
    Text,
    /// A binary body as `bytes::Bytes` (or read as a stream of them).
    Binary,
    /// A `text/event-stream` body: server-sent events, each one's data in
    /// this type (raw text when `None`). Read in full, it is text.
    Events(Option<TypeRef>),
}
