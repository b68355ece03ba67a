//! Paths → operation groups: parameters, bodies, responses and security of
//! each operation, with the names of their methods and builders.

use std::collections::HashMap;

use indexmap::IndexMap;
use openapiv3::{Encoding, MediaType, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody};

use crate::diagnostics::Reporter;
use crate::pointer::pointer_push;
use crate::ir::{
    ApiKeyLocation, AuthKind, BodyKind, FormField, FormStyle, Group, HeaderRole, Operation, OperationExamples, Param, ParamLocation, PathPart, QueryStyle,
    RequestBody as IrBody, SecurityScheme, TypeRef,
};
use crate::lower::docs::join;
use crate::lower::examples::{self, Found};
use crate::lower::security::is_header_name;
use crate::lower::media::{MediaKind, binary_schema, media_kind, pick_media};
use crate::lower::context::OperationContext;
use crate::lower::pagination::{EXTENSION as PAGINATION, Paginated};
use crate::lower::responses::Responses;
use crate::lower::schema_view::SchemaRef;
use crate::lower::types::TypeLowering;
use crate::naming::{Scope, pascal, snake};
use crate::resolve::Resolver;

/// Methods of the runtime's `Client` that group accessors must not shadow.
const CLIENT_METHODS: &[&str] = &["base_url", "builder", "clone", "request", "fmt"];
/// Names taken in the operations module by items it declares or imports.
const MODULE_ITEMS: &[&str] = &["Client", "Error", "ResponseValue", "types", "schemes", "markers"];
/// Methods every call has (the runtime's `Call`), the page walkers of
/// paginated calls, and the local variable the generated code builds the
/// request in.
const BUILDER_METHODS: &[&str] =
    &["send", "timeout", "deadline", "retry_policy", "header", "new", "body", "request", "pages", "items", "walk_deadline"];

/// Lowers every operation, grouped by first tag in order of first appearance,
/// and lists those that carry `x-pagination` and the examples of each (to
/// check once the types are final).
pub fn lower_groups<'a>(
    resolver: Resolver<'a>,
    types: &mut TypeLowering<'a>,
    scheme_index: &HashMap<&str, usize>,
    schemes: &[SecurityScheme],
    reporter: &mut Reporter<'_>,
) -> (Vec<Group>, Vec<Paginated<'a>>, Vec<examples::Pending>) {
    let openapi = resolver.openapi;
    let mut paginated = Vec::new();
    let mut found_examples = Vec::new();
    let pins = types.pins();
    let mut items = Scope::with_reserved(MODULE_ITEMS);
    let mut accessors = Scope::with_reserved(CLIENT_METHODS);
    let mut methods_by_group: HashMap<String, Scope> = HashMap::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut group_of_tag: HashMap<String, usize> = HashMap::new();
    let mut operation_ids = Scope::default();
    // Pointer of each operationId's first use, to name it in a duplicate's warning.
    let mut first_use: HashMap<String, String> = HashMap::new();
    // Paths with a `#fragment`, and the first one's pointer, for one warning.
    let mut fragments: Option<(usize, String)> = None;

    for (path, item) in &openapi.paths.paths {
        let path_pointer = pointer_push("/paths", path);
        // A fragment never reaches the server: converted specs use one to keep
        // paths apart (`/#Action=CreateVpc`), and left in, it would swallow the
        // query written after it.
        let sent_path = match path.split_once('#') {
            Some((before, _)) => {
                fragments.get_or_insert_with(|| (0, path_pointer.clone())).0 += 1;
                if before.is_empty() { "/" } else { before }
            }
            None => path.as_str(),
        };
        let Some((item, item_pointer)) = pins.resolve::<PathItem>(item, &path_pointer) else { continue };
        for (method, operation) in item.iter() {
            let op_pointer = pointer_push(&item_pointer, method);
            let tag = operation.tags.first().cloned().unwrap_or_else(|| String::from("default"));
            let group_index = *group_of_tag.entry(tag.clone()).or_insert_with(|| {
                let description = openapi
                    .tags
                    .iter()
                    .find(|t| t.name == tag)
                    .and_then(|t| t.description.clone());
                groups.push(Group {
                    tag: tag.clone(),
                    accessor: accessors.claim(snake(&tag, "default")),
                    type_name: items.claim(pascal(&tag, "Default")),
                    description,
                    operations: Vec::new(),
                });
                groups.len() - 1
            });
            let raw_id = match &operation.operation_id {
                Some(id) if !id.trim().is_empty() => id.clone(),
                _ => format!("{method} {path}"),
            };
            let id = operation_ids.claim(raw_id.clone());
            if let Some(given) = operation.operation_id.as_deref().filter(|given| !given.trim().is_empty()) {
                let here = pointer_push(&op_pointer, "operationId");
                match first_use.get(given) {
                    Some(first) => {
                        let first = reporter.place(first);
                        reporter.warning(&here, format!("duplicate operationId `{given}` (first at {first}); this operation is named `{id}`"));
                    }
                    None => {
                        first_use.insert(given.to_owned(), here);
                    }
                }
            }
            let group_methods =
                methods_by_group.entry(groups[group_index].type_name.clone()).or_default();
            let method_name = group_methods.claim(snake(&id, "call"));
            let builder = items.claim(pascal(&id, "Call"));
            let context =
                OperationContext {
                pins,
                op_pointer: &op_pointer,
                template: sent_path,
                type_hint: pascal(&id, "Call"),
                head: method.eq_ignore_ascii_case("head"),
            };

            let security: Vec<Vec<usize>> = operation.security.as_ref().or(openapi.security.as_ref()).map_or_else(
                Vec::new,
                |requirements| {
                    let security_pointer = pointer_push(&op_pointer, "security");
                    requirements
                        .iter()
                        .enumerate()
                        .map(|(i, requirement)| {
                            requirement
                                .keys()
                                .filter_map(|name| {
                                    let found = scheme_index.get(name.as_str()).copied();
                                    // A declared scheme left out was reported where it is declared.
                                    let declared = openapi.components.as_ref().is_some_and(|c| c.security_schemes.contains_key(name));
                                    if found.is_none() && !declared {
                                        reporter.error(
                                            &pointer_push(&security_pointer, &i.to_string()),
                                            format!("unknown security scheme `{name}`"),
                                        );
                                    }
                                    found
                                })
                                .collect()
                        })
                        .collect()
                },
            );
            // A header parameter `Authorization` is the credentials' only where a
            // scheme of the operation sets that header.
            let authorization_set = security.iter().flatten().any(|&scheme| sets_authorization(&schemes[scheme].kind));
            let params =
                context.parameters(&item.parameters, &operation.parameters, authorization_set, types, reporter);
            let (path_parts, params) = context.path(sent_path, params);
            let (params, param_examples): (Vec<_>, Vec<_>) = params.into_iter().unzip();
            let (body, body_example) = match operation.request_body.as_ref() {
                Some(body) => context.body(body, types, reporter).map_or((None, None), |(body, example)| (Some(body), example)),
                None => (None, None),
            };
            let Responses { success, failure, accept, success_examples, failure_examples } =
                context.responses(&operation.responses, types, &mut items, reporter);
            let at = (group_index, groups[group_index].operations.len());
            if let Some(extension) = operation.extensions.get(PAGINATION) {
                paginated.push(Paginated { at, extension, pointer: pointer_push(&op_pointer, PAGINATION) });
            }
            found_examples.push(examples::Pending {
                at,
                params: param_examples,
                body: body_example,
                success: success_examples,
                failure: failure_examples,
            });
            groups[group_index].operations.push(Operation {
                id,
                tag: operation.tags.first().cloned(),
                method_name,
                builder,
                http_method: method.to_ascii_uppercase(),
                path: path_parts,
                summary: operation.summary.clone(),
                description: operation.description.clone(),
                deprecated: operation.deprecated,
                params,
                body,
                success,
                failure,
                security,
                accept,
                pagination: None,
                examples: OperationExamples::default(),
            });
        }
    }
    if let Some((count, first)) = fragments {
        let paths = if count == 1 { String::from("a path carries") } else { format!("{count} paths carry") };
        reporter.warning(
            &first,
            format!("{paths} a `#` fragment, which is never sent to a server; requests use the path before it"),
        );
    }
    (groups, paginated, found_examples)
}

/// Whether a scheme sends the `Authorization` header: HTTP (Basic, bearer and
/// the others), OAuth 2 and OpenID Connect (bearer), or an API key in it.
fn sets_authorization(kind: &AuthKind) -> bool {
    match kind {
        AuthKind::Basic | AuthKind::Bearer => true,
        AuthKind::ApiKey { location: ApiKeyLocation::Header, name, .. } => name.eq_ignore_ascii_case("authorization"),
        AuthKind::BodySignature { header, .. } => header.eq_ignore_ascii_case("authorization"),
        AuthKind::ApiKey { .. } => false,
    }
}

/// What a header parameter is for: an idempotency key when the spec says so
/// (`x-idempotency-key: true`) or when it is the standard `Idempotency-Key`
/// header; a single-use value when the spec says so (`x-single-use: true`).
fn header_role(parameter: &Parameter) -> HeaderRole {
    let Parameter::Header { parameter_data, .. } = parameter else { return HeaderRole::Plain };
    let flag = |name: &str| parameter_data.extensions.get(name) == Some(&serde_json::Value::Bool(true));
    if parameter_data.name.eq_ignore_ascii_case("idempotency-key") || flag("x-idempotency-key") {
        HeaderRole::IdempotencyKey
    } else if flag("x-single-use") {
        HeaderRole::SingleUse
    } else {
        HeaderRole::Plain
    }
}

impl<'a> OperationContext<'_, 'a> {
    /// Path-level and operation parameters, the operation's overriding.
    fn parameters(
        &self,
        path_level: &'a [ReferenceOr<Parameter>],
        operation: &'a [ReferenceOr<Parameter>],
        authorization_set: bool,
        types: &mut TypeLowering<'a>,
        reporter: &mut Reporter<'_>,
    ) -> Vec<(Param, Option<Found>)> {
        let path_pointer = self.op_pointer.rsplit_once('/').map_or("", |(p, _)| p);
        let mut resolved: Vec<(&'a Parameter, String)> = Vec::new();
        let sources = path_level
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{path_pointer}/parameters/{i}")))
            .chain(operation.iter().enumerate().map(|(i, p)| (p, format!("{}/parameters/{i}", self.op_pointer))));
        for (parameter, pointer) in sources {
            let Some((parameter, at)) = self.pins.resolve(parameter, &pointer) else { continue };
            let data = parameter.parameter_data_ref();
            let same = |(other, _): &(&'a Parameter, String)| {
                other.parameter_data_ref().name == data.name && location(other) == location(parameter)
            };
            if let Some(existing) = resolved.iter_mut().find(|entry| same(entry)) {
                *existing = (parameter, at);
            } else {
                resolved.push((parameter, at));
            }
        }
        let mut scope = Scope::with_reserved(BUILDER_METHODS);
        let mut params = Vec::with_capacity(resolved.len());
        for (parameter, pointer) in resolved {
            let data = parameter.parameter_data_ref();
            let loc = location(parameter);
            // The spec says these three headers are set by other means; yet an
            // `Authorization` no security scheme of the operation sets is the caller's.
            if loc == ParamLocation::Header && data.name.eq_ignore_ascii_case("authorization") && !authorization_set {
                reporter.warning(
                    &pointer,
                    format!("header parameter `{}` is kept as a parameter: no security scheme of the operation sets it", data.name),
                );
            } else if loc == ParamLocation::Header
                && ["accept", "content-type", "authorization"].contains(&data.name.to_ascii_lowercase().as_str())
            {
                reporter.warning(
                    &pointer,
                    format!("header parameter `{}` is ignored: the client sets it from the media types and credentials", data.name),
                );
                continue;
            }
            if loc == ParamLocation::Header && !is_header_name(&data.name) {
                reporter.warning(
                    &pointer_push(&pointer, "name"),
                    if data.name.is_empty() {
                        String::from("a header parameter with an empty name is ignored")
                    } else {
                        format!("`{}` is not an HTTP header name; the header parameter is ignored", data.name.escape_debug())
                    },
                );
                continue;
            }
            if loc == ParamLocation::Path && !self.template.contains(&format!("{{{}}}", data.name)) {
                reporter.warning(&pointer, format!("path parameter `{}` is not in the path template; it is ignored", data.name));
            }
            let hint = format!("{}{}", self.type_hint, pascal(&data.name, "Param"));
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    types.type_of(SchemaRef::from(schema), &hint, &pointer_push(&pointer, "schema"), reporter)
                }
                ParameterSchemaOrContent::Content(content) => match content.values().next() {
                    Some(MediaType { schema: Some(schema), .. }) => {
                        types.type_of(SchemaRef::from(schema), &hint, &pointer_push(&pointer, "content"), reporter)
                    }
                    _ => TypeRef::String,
                },
            };
            let style = match (parameter, &data.format) {
                // A parameter with `content` is sent as one serialized value.
                (Parameter::Query { .. }, ParameterSchemaOrContent::Content(_)) => QueryStyle::Json,
                (Parameter::Query { style, .. }, _) => query_style(style, data.explode),
                _ => QueryStyle::FormExploded,
            };
            let required = data.required || loc == ParamLocation::Path;
            let example = examples::of_parameter(self.pins, parameter, &pointer);
            let param = Param {
                wire: data.name.clone(),
                ident: scope.claim(snake(&data.name, "param")),
                location: loc,
                // A path segment is never null, whatever `nullable` says.
                ty: if required && loc != ParamLocation::Path { ty } else { strip_option(ty) },
                required,
                description: join(
                    data.description.as_deref().map(str::trim),
                    parameter_default(&data.format).map(|value| format!("Defaults to `{value}`.")),
                ),
                deprecated: data.deprecated.unwrap_or(false),
                style,
                role: header_role(parameter),
            };
            params.push((param, example));
        }
        params
    }

    /// Splits the path template, and orders the path parameters as it does
    /// (each with its example).
    fn path(&self, template: &str, params: Vec<(Param, Option<Found>)>) -> (Vec<PathPart>, Vec<(Param, Option<Found>)>) {
        let mut path_params: Vec<(Param, Option<Found>)> = Vec::new();
        let (mut declared, others): (Vec<_>, Vec<_>) =
            params.into_iter().partition(|(p, _)| p.location == ParamLocation::Path);
        let mut parts = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_owned()));
            }
            let name = &rest[open + 1..close];
            match declared.iter().position(|(p, _)| p.wire == name) {
                Some(found) => {
                    path_params.push(declared.remove(found));
                    parts.push(PathPart::Param(path_params.len() - 1));
                }
                None => match path_params.iter().position(|(p, _)| p.wire == name) {
                    Some(again) => parts.push(PathPart::Param(again)),
                    None => {
                        // Used but not declared, a common slip: a required string,
                        // as the path template implies.
                        let taken = |ident: &str| {
                            path_params.iter().chain(&declared).chain(&others).any(|(p, _)| p.ident == ident)
                                || BUILDER_METHODS.contains(&ident)
                        };
                        let base = snake(name, "param");
                        let ident = (1..)
                            .map(|n| if n == 1 { base.clone() } else { format!("{}{n}", base.trim_start_matches("r#")) })
                            .find(|candidate| !taken(candidate))
                            .unwrap_or(base);
                        let param = Param {
                            wire: name.to_owned(),
                            ident,
                            location: ParamLocation::Path,
                            ty: TypeRef::String,
                            required: true,
                            description: None,
                            deprecated: false,
                            style: QueryStyle::FormExploded,
                            role: HeaderRole::Plain,
                        };
                        path_params.push((param, None));
                        parts.push(PathPart::Param(path_params.len() - 1));
                    }
                },
            }
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        // Declared path parameters missing from the template cannot be sent;
        // they are dropped (a common slip in real specs, harmless to callers).
        let mut params = path_params;
        params.extend(others);
        (parts, params)
    }

    fn body(
        &self,
        body: &'a ReferenceOr<RequestBody>,
        types: &mut TypeLowering<'a>,
        reporter: &mut Reporter<'_>,
    ) -> Option<(IrBody, Option<Found>)> {
        let pointer = pointer_push(self.op_pointer, "requestBody");
        let (body, at) = self.pins.resolve(body, &pointer)?;
        let (media, content) = pick_media(&body.content)?;
        let content_pointer = pointer_push(&pointer_push(&at, "content"), media);
        let hint = format!("{}Body", self.type_hint);
        let schema_type = |types: &mut TypeLowering<'a>, reporter: &mut Reporter<'_>| match &content.schema {
            Some(schema) => types.type_of(schema.into(), &hint, &pointer_push(&content_pointer, "schema"), reporter),
            None => TypeRef::Json,
        };
        let kind = match media_kind(media) {
            // A binary string is bytes, whatever the media type says; a
            // wildcard type goes out as plain bytes.
            MediaKind::Json | MediaKind::Text if binary_schema(content) => {
                BodyKind::Binary(if media.contains('*') { "application/octet-stream" } else { media }.to_owned())
            }
            MediaKind::Json => BodyKind::Json(schema_type(types, reporter)),
            MediaKind::Form => BodyKind::Form(schema_type(types, reporter)),
            MediaKind::Multipart => BodyKind::Multipart,
            MediaKind::Text | MediaKind::EventStream => BodyKind::Text(media.to_owned()),
            MediaKind::Binary => BodyKind::Binary(media.to_owned()),
        };
        // The example comes from the media type the body is sent in.
        let example = examples::of_media(self.pins, content, &content_pointer);
        let form_fields = match kind {
            BodyKind::Form(_) => form_fields(&content.encoding),
            _ => Vec::new(),
        };
        Some((IrBody { kind, required: body.required, description: body.description.clone(), form_fields }, example))
    }
}

/// The properties of a form body whose `encoding` says other than `form`,
/// exploded: `style`, `explode` (by default true for `form` only) and a JSON
/// `contentType`.
fn form_fields(encoding: &IndexMap<String, Encoding>) -> Vec<FormField> {
    encoding
        .iter()
        .map(|(name, encoding)| {
            let style = match encoding.style {
                Some(openapiv3::QueryStyle::SpaceDelimited) => FormStyle::SpaceDelimited,
                Some(openapiv3::QueryStyle::PipeDelimited) => FormStyle::PipeDelimited,
                Some(openapiv3::QueryStyle::DeepObject) => FormStyle::DeepObject,
                Some(openapiv3::QueryStyle::Form) | None => FormStyle::Form,
            };
            let json = encoding.content_type.as_deref().is_some_and(|media| media_kind(media) == MediaKind::Json);
            FormField { name: name.clone(), style, explode: encoding.explode, json }
        })
        .filter(|field| field.style != FormStyle::Form || !field.explode || field.json)
        .collect()
}

/// The default of a parameter whose schema is written inline.
fn parameter_default(format: &ParameterSchemaOrContent) -> Option<&serde_json::Value> {
    match format {
        ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => schema.schema_data.default.as_ref(),
        _ => None,
    }
}

fn location(parameter: &Parameter) -> ParamLocation {
    match parameter {
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

fn query_style(style: &openapiv3::QueryStyle, explode: Option<bool>) -> QueryStyle {
    match style {
        openapiv3::QueryStyle::Form if explode.unwrap_or(true) => QueryStyle::FormExploded,
        openapiv3::QueryStyle::Form => QueryStyle::Form,
        openapiv3::QueryStyle::SpaceDelimited => QueryStyle::SpaceDelimited,
        openapiv3::QueryStyle::PipeDelimited => QueryStyle::PipeDelimited,
        openapiv3::QueryStyle::DeepObject => QueryStyle::DeepObject,
    }
}

/// Optional parameters are optional already; a nullable one needs no second `Option`.
fn strip_option(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Option(inner) => *inner,
        other => other,
    }
}
