//! Lowering rules, spec snippet → IR.

use expect_test::{Expect, expect};

use crate::ir::{Api, TypeKind};

/// Lowers a spec whose `components.schemas` is `schemas` (YAML, indented as
/// under `schemas:`).
fn lower_schemas(schemas: &str) -> Api {
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
    );
    super::lower_snippet(&text).expect("the snippet lowers")
}

/// Which structs derive `Default`, one line per struct.
fn defaults(api: &Api) -> String {
    api.types
        .iter()
        .filter_map(|def| match &def.kind {
            TypeKind::Struct { default, .. } => Some(format!("{}: {default}\n", def.name)),
            _ => None,
        })
        .collect()
}

fn check(schemas: &str, expected: Expect) {
    expected.assert_eq(&defaults(&lower_schemas(schemas)));
}

#[test]
fn a_required_field_without_a_spec_default_rules_out_default() {
    check(
        "    AllOptional:
      type: object
      properties:
        note: {type: string}
    RequiredString:
      type: object
      required: [country]
      properties:
        country: {type: string}
    RequiredZeroDefaults:
      type: object
      required: [count, flag, tags]
      properties:
        count: {type: integer, default: 0}
        flag: {type: boolean, default: false}
        tags: {type: array, items: {type: string}, default: []}
    RequiredOtherDefault:
      type: object
      required: [currency]
      properties:
        currency: {type: string, default: EUR}
    RequiredEnumDefault:
      type: object
      required: [kind]
      properties:
        kind: {type: string, enum: [A, B], default: B}
    RequiredStructOfOptionals:
      type: object
      required: [inner]
      properties:
        inner: {$ref: '#/components/schemas/AllOptional'}
",
        expect![[r#"
            AllOptional: true
            RequiredString: false
            RequiredZeroDefaults: true
            RequiredOtherDefault: false
            RequiredEnumDefault: true
            RequiredStructOfOptionals: false
        "#]],
    );
}

/// Each required field's default as the constructor sees it, one line per field.
fn required_defaults(api: &Api) -> String {
    let mut out = String::new();
    for def in &api.types {
        if let TypeKind::Struct { fields, .. } = &def.kind {
            for field in fields.iter().filter(|f| f.required) {
                out.push_str(&format!("{}.{}: {:?}\n", def.name, field.wire, field.default));
            }
        }
    }
    out
}

#[test]
fn a_spec_default_that_default_cannot_give_is_left_to_the_caller() {
    // `tier` defaults to "standard": `Default` would give "", so `new` must take it;
    // the enum's default variant and the zero count are what `Default` gives.
    let api = lower_schemas(
        "    Customer:
      type: object
      required: [name, tier, kind, count, settings]
      properties:
        name: {type: string}
        tier: {type: string, default: standard}
        kind: {type: string, enum: [A, B], default: B}
        count: {type: integer, default: 0}
        settings: {$ref: '#/components/schemas/Settings', default: {}}
    Settings:
      type: object
      required: [locale]
      properties:
        locale: {type: string}
",
    );
    expect![[r#"
        Customer.name: None
        Customer.tier: None
        Customer.kind: Other
        Customer.count: Zero
        Customer.settings: None
        Settings.locale: None
    "#]]
    .assert_eq(&required_defaults(&api));
}

#[test]
fn a_fragment_in_a_path_is_left_out_of_the_request_path_with_one_warning() {
    let text = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /#Action=Describe:
    get: {operationId: describe, responses: {'200': {description: ok}}}
  /items/{id}#Action=Get:
    get:
      operationId: get
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
";
    let document = crate::load::load_str(std::path::Path::new("spec.yaml"), text.to_owned()).expect("the snippet loads");
    let api = super::lower(&document).expect("the snippet lowers");
    let paths: Vec<String> =
        api.groups.iter().flat_map(|group| &group.operations).map(|op| format!("{}: {:?}", op.id, op.path)).collect();
    expect![[r#"
        describe: [Literal("/")]
        get: [Literal("/items/"), Param(0)]
        spec.yaml:4:3: warning: 2 paths carry a `#` fragment, which is never sent to a server; requests use the path before it (at #/paths/~1#Action=Describe)
    "#]].assert_eq(&format!("{}\n{}", paths.join("\n"), document.warnings()));
}

/// Lowers a whole spec given as text: the IR and the warnings.
pub(super) fn lower_with_warnings(text: &str) -> (Api, String) {
    let document = crate::load::load_str(std::path::Path::new("spec.yaml"), text.to_owned()).expect("the snippet loads");
    let api = super::lower(&document).expect("the snippet lowers");
    (api, document.warnings().to_string())
}

/// Each union's tagging, then its variants with the values selecting them.
fn unions(api: &Api) -> String {
    let mut out = String::new();
    for def in &api.types {
        if let TypeKind::Union { tagging, variants } = &def.kind {
            out.push_str(&format!("{}: {tagging:?}\n", def.name));
            for variant in variants {
                out.push_str(&format!("  {}({:?}) <- {:?}\n", variant.ident, variant.ty, variant.tags));
            }
        }
    }
    out
}

#[test]
fn inline_variants_are_selected_by_the_value_they_fix_for_the_discriminator() {
    let (api, warnings) = lower_with_warnings(
        "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Event:
      oneOf:
        # A one-value enum (3.1's `const` is read as one).
        - type: object
          required: [type]
          properties:
            type: {type: string, enum: [user.created]}
            name: {type: string}
        # The value in an `allOf` part, through a reference.
        - allOf:
            - {$ref: '#/components/schemas/Base'}
            - type: object
              properties:
                type: {$ref: '#/components/schemas/DeletedType'}
                deletedAt: {type: string}
        # A mapping naming the variant by its location wins over its value.
        - type: object
          properties:
            type: {type: string, enum: [renamed]}
        # No fixed value: never selected, with a warning.
        - type: object
          properties:
            type: {type: string}
            note: {type: string}
        # A value an earlier variant has: not selected by it, with a warning.
        - title: Again
          type: object
          properties:
            type: {type: string, enum: [user.created]}
        - {$ref: '#/components/schemas/Base'}
      discriminator:
        propertyName: type
        mapping:
          user.renamed: '#/components/schemas/Event/oneOf/2'
    Loose:
      oneOf:
        - type: object
          properties:
            kind: {type: string}
        - type: object
          properties:
            size: {type: integer}
      discriminator:
        propertyName: kind
    Base:
      type: object
      properties:
        type: {type: string}
    DeletedType: {type: string, enum: [user.deleted]}
",
    );
    expect![[r#"
        Event: Internal { property: "type" }
          UserCreated(Named(#1 EventUserCreated)) <- ["user.created"]
          UserDeleted(Named(#2 EventUserDeleted)) <- ["user.deleted"]
          UserRenamed(Named(#4 EventUserRenamed)) <- ["user.renamed"]
          EventVariant3(Named(#5 EventVariant3)) <- []
          Again(Named(#7 EventAgain)) <- []
          Base(Named(#12 Base)) <- ["Base"]
        Loose: Untagged
          LooseVariant0(Named(#9 LooseVariant0)) <- []
          LooseVariant1(Named(#10 LooseVariant1)) <- []
    "#]]
    .assert_eq(&unions(&api));
    expect![[r#"
        spec.yaml:19:17: warning: `allOf` parts define property `type` differently; the first definition (spec.yaml:53:9, #/components/schemas/Base/properties/type) is used (at #/components/schemas/Event/oneOf/1/allOf/1/properties/type)
        spec.yaml:31:11: warning: discriminator value `user.created` already selects an earlier variant; it does not select this one (at #/components/schemas/Event/oneOf/4)
        spec.yaml:26:11: warning: this variant fixes no value of discriminator property `type` (a one-value `enum` or `const`); no value selects it, so such objects decode as `Unknown` (at #/components/schemas/Event/oneOf/3)
        spec.yaml:48:7: warning: no variant fixes a value of discriminator property `kind` (a one-value `enum` or `const`); the `oneOf` is read untagged, as the first variant that decodes (at #/components/schemas/Loose/discriminator)
    "#]].assert_eq(&warnings);
}

/// Each operation's parameters, as `location wire: required`.
fn params(api: &Api) -> String {
    let mut out = String::new();
    for operation in api.groups.iter().flat_map(|group| &group.operations) {
        let params: Vec<String> =
            operation.params.iter().map(|p| format!("{:?} {}: {}", p.location, p.wire, p.required)).collect();
        out.push_str(&format!("{}: [{}]\n", operation.id, params.join(", ")));
    }
    out
}

#[test]
fn an_authorization_header_parameter_is_kept_unless_a_scheme_of_the_operation_sets_it() {
    let operation = |id: &str, security: &str, required: bool| {
        format!(
            "  /{id}:
    get:
      operationId: {id}
      {security}
      parameters: [{{name: Authorization, in: header, required: {required}, schema: {{type: string}}}}]
      responses: {{'204': {{description: ok}}}}
"
        )
    };
    let text = [
        String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\nsecurity: [{bearer: []}]\npaths:\n"),
        operation("globalBearer", "", true),
        operation("noSecurity", "security: []", true),
        operation("optionalOnly", "security: [{}]", false),
        operation("otherHeaderKey", "security: [{key: []}]", true),
        operation("basicOrKey", "security: [{key: []}, {basic: []}]", true),
        operation("authorizationKey", "security: [{authorizationKey: []}]", true),
        operation("digest", "security: [{digest: []}]", true),
        operation("oauth", "security: [{oauth: []}]", true),
        operation("queryKey", "security: [{queryKey: []}]", false),
        String::from(
            "components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    basic: {type: http, scheme: basic}
    digest: {type: http, scheme: digest}
    key: {type: apiKey, in: header, name: X-Key}
    authorizationKey: {type: apiKey, in: header, name: authorization}
    queryKey: {type: apiKey, in: query, name: Authorization}
    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://t.example/token', scopes: {}}}}
",
        ),
    ]
    .concat();
    let (api, warnings) = lower_with_warnings(&text);
    expect![[r#"
        globalBearer: []
        noSecurity: [Header Authorization: true]
        optionalOnly: [Header Authorization: false]
        otherHeaderKey: [Header Authorization: true]
        basicOrKey: []
        authorizationKey: []
        digest: []
        oauth: []
        queryKey: [Header Authorization: false]

        spec.yaml:9:20: warning: header parameter `Authorization` is ignored: the client sets it from the media types and credentials (at #/paths/~1globalBearer/get/parameters/0)
        spec.yaml:15:20: warning: header parameter `Authorization` is kept as a parameter: no security scheme of the operation sets it (at #/paths/~1noSecurity/get/parameters/0)
        spec.yaml:21:20: warning: header parameter `Authorization` is kept as a parameter: no security scheme of the operation sets it (at #/paths/~1optionalOnly/get/parameters/0)
        spec.yaml:27:20: warning: header parameter `Authorization` is kept as a parameter: no security scheme of the operation sets it (at #/paths/~1otherHeaderKey/get/parameters/0)
        spec.yaml:33:20: warning: header parameter `Authorization` is ignored: the client sets it from the media types and credentials (at #/paths/~1basicOrKey/get/parameters/0)
        spec.yaml:39:20: warning: header parameter `Authorization` is ignored: the client sets it from the media types and credentials (at #/paths/~1authorizationKey/get/parameters/0)
        spec.yaml:45:20: warning: header parameter `Authorization` is ignored: the client sets it from the media types and credentials (at #/paths/~1digest/get/parameters/0)
        spec.yaml:51:20: warning: header parameter `Authorization` is ignored: the client sets it from the media types and credentials (at #/paths/~1oauth/get/parameters/0)
        spec.yaml:57:20: warning: header parameter `Authorization` is kept as a parameter: no security scheme of the operation sets it (at #/paths/~1queryKey/get/parameters/0)
    "#]].assert_eq(&format!("{}\n{warnings}", params(&api)));
}

/// The pagination and examples of each operation of a snippet, one block per operation.
fn paginations_and_examples(text: &str) -> String {
    let api = super::lower_snippet(text).expect("the snippet lowers");
    api.groups
        .iter()
        .flat_map(|group| &group.operations)
        .map(|op| format!("{} {:?}\npagination: {:#?}\nexamples: {:#?}\n", op.id, op.path, op.pagination, op.examples))
        .collect()
}

#[test]
fn an_operation_on_a_fragment_path_keeps_its_pagination_and_examples() {
    // Converted AWS specs keep their paths apart with `#Action=…`; the request
    // goes to the path before the fragment, and the operation keeps what the
    // spec says of it.
    let text = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /#Action=DescribeThings:
    get:
      operationId: DescribeThings
      parameters:
        - {name: NextToken, in: query, schema: {type: string}, example: tok-1}
      x-pagination:
        items: /Things
        cursor: {param: NextToken, next: /NextToken}
      responses:
        '200':
          description: things
          content:
            application/json:
              schema:
                type: object
                properties:
                  Things: {type: array, items: {type: string}}
                  NextToken: {type: string}
              example: {Things: [a], NextToken: tok-2}
"#;
    expect![[r#"
        DescribeThings [Literal("/")]
        pagination: Some(
            Pagination {
                items: [
                    FieldStep {
                        ident: "things",
                        layers: [
                            Option,
                        ],
                    },
                ],
                item: String,
                style: Cursor {
                    target: Param(
                        0,
                    ),
                    next: [
                        FieldStep {
                            ident: "next_token",
                            layers: [
                                Option,
                            ],
                        },
                    ],
                },
            },
        )
        examples: OperationExamples {
            params: [
                Some(
                    Example {
                        value: String("tok-1"),
                        source: Spec,
                    },
                ),
            ],
            body: None,
            success: [
                Some(
                    Example {
                        value: Object {
                            "Things": Array [
                                String("a"),
                            ],
                            "NextToken": String("tok-2"),
                        },
                        source: Spec,
                    },
                ),
            ],
            failure: [],
        }
    "#]]
    .assert_eq(&paginations_and_examples(text));
}

#[test]
fn a_body_and_an_answer_take_their_example_from_the_media_type_they_are_sent_in() {
    // XML is listed first and has an example; JSON is the media type the
    // client sends and reads, so its example (or its schema's) is the one used.
    let text = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    post:
      operationId: makeThing
      requestBody:
        content:
          application/xml:
            schema: {$ref: '#/components/schemas/Thing'}
            example: <thing/>
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
            examples:
              first: {value: {name: from json}}
      responses:
        '201':
          description: made
          content:
            text/plain:
              schema: {type: string}
              example: made it
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      properties: {name: {type: string}}
      example: {name: from the schema}
"#;
    expect![[r#"
        makeThing [Literal("/things")]
        pagination: None
        examples: OperationExamples {
            params: [],
            body: Some(
                Example {
                    value: Object {
                        "name": String("from json"),
                    },
                    source: Spec,
                },
            ),
            success: [
                Some(
                    Example {
                        value: Object {
                            "name": String("from the schema"),
                        },
                        source: Spec,
                    },
                ),
            ],
            failure: [],
        }
    "#]]
    .assert_eq(&paginations_and_examples(text));
}

#[test]
fn oauth2_client_credentials_and_providers_are_lowered_with_their_setters() {
    let text = "openapi: 3.0.3
info: {title: t, version: '1'}
security: [{cc: [read]}]
paths:
  /a:
    get:
      operationId: a
      security: [{cc: [write, read]}, {other: [admin]}]
      responses: {'204': {description: ok}}
components:
  securitySchemes:
    cc: {type: oauth2, flows: {clientCredentials: {tokenUrl: /oauth/token, scopes: {read: r, write: w}}}}
    other: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://auth.example.com/token', scopes: {}}, implicit: {authorizationUrl: 'https://a', scopes: {}}}}
    code: {type: oauth2, flows: {authorizationCode: {authorizationUrl: 'https://a', tokenUrl: 'https://t', scopes: {}}}}
    empty: {type: oauth2, flows: {clientCredentials: {tokenUrl: '', scopes: {}}}}
    ftp: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'ftp://files.example.com/token', scopes: {}}}}
    spaced: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://a b/token', scopes: {}}}}
    bearer:
      type: http
      scheme: bearer
      x-token-refresh: {path: /auth/refresh, token: /access/token, expires-at: /access/until}
    badRefresh: {type: http, scheme: bearer, x-token-refresh: {path: auth/refresh}}
    key: {type: apiKey, in: query, name: key}
    basic: {type: http, scheme: basic}
";
    let (api, warnings) = lower_with_warnings(text);
    let schemes: Vec<String> = api
        .security_schemes
        .iter()
        .map(|scheme| {
            format!(
                "{}: {} / {:?} / {:?} / {:?}",
                scheme.key, scheme.setter, scheme.provider_setter, scheme.client_credentials, scheme.token_refresh
            )
        })
        .collect();
    expect![[r#"
        cc: cc / Some("cc_provider") / Some(ClientCredentialsFlow { setter: "cc_client_credentials", token_url: "/oauth/token", scopes: ["read", "write"] }) / None
        other: other / Some("other_provider") / Some(ClientCredentialsFlow { setter: "other_client_credentials", token_url: "https://auth.example.com/token", scopes: ["admin"] }) / None
        code: code / Some("code_provider") / None / None
        empty: empty / Some("empty_provider") / None / None
        ftp: ftp / Some("ftp_provider") / None / None
        spaced: spaced / Some("spaced_provider") / None / None
        bearer: bearer / Some("bearer_provider") / None / Some(TokenRefresh { path: "/auth/refresh", token: "/access/token", expires_at: "/access/until" })
        badRefresh: bad_refresh / Some("bad_refresh_provider") / None / None
        key: key / Some("key_provider") / None / None
        basic: basic_auth / None / None / None
        spec.yaml:15:55: warning: the `clientCredentials` flow has an empty `tokenUrl`; no client-credentials setter is generated (the bearer setters remain) (at #/components/securitySchemes/empty/flows/clientCredentials/tokenUrl)
        spec.yaml:16:53: warning: `tokenUrl` `ftp://files.example.com/token` is not an http(s) URL; no client-credentials setter is generated (the bearer setters remain) (at #/components/securitySchemes/ftp/flows/clientCredentials/tokenUrl)
        spec.yaml:17:56: warning: `tokenUrl` `https://a b/token` is not a usable URL; no client-credentials setter is generated (the bearer setters remain) (at #/components/securitySchemes/spaced/flows/clientCredentials/tokenUrl)
        spec.yaml:22:46: warning: `x-token-refresh` needs `path` (from the base URL), `token` and `expires-at` (JSON pointers into the answer), each starting with `/`; it is ignored (at #/components/securitySchemes/badRefresh/x-token-refresh)
    "#]]
    .assert_eq(&format!("{}\n{warnings}", schemes.join("\n")));
}

#[test]
fn a_form_body_keeps_the_encoding_of_the_properties_not_sent_as_form_exploded() {
    let text = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /search:
    post:
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                tags: {type: array, items: {type: string}}
                ids: {type: array, items: {type: integer}}
                words: {type: array, items: {type: string}}
                filter: {type: object}
                meta: {type: object}
                plain: {type: array, items: {type: string}}
            encoding:
              tags: {style: form}
              ids: {style: form, explode: false}
              words: {style: spaceDelimited}
              filter: {style: deepObject, explode: true}
              meta: {contentType: application/json}
              plain: {contentType: text/plain}
      responses:
        '204': {description: done}
"##;
    let (api, _) = lower_with_warnings(text);
    let body = api.groups[0].operations[0].body.as_ref().expect("a body");
    expect![[r#"
        [
            FormField {
                name: "ids",
                style: Form,
                explode: false,
                json: false,
            },
            FormField {
                name: "words",
                style: SpaceDelimited,
                explode: false,
                json: false,
            },
            FormField {
                name: "filter",
                style: DeepObject,
                explode: true,
                json: false,
            },
            FormField {
                name: "meta",
                style: Form,
                explode: true,
                json: true,
            },
        ]
    "#]].assert_debug_eq(&body.form_fields);
}

#[test]
fn a_204_answer_has_no_body_whatever_the_spec_documents() {
    let text = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /me:
    patch:
      responses:
        '204':
          description: updated
          content:
            application/json:
              schema: {type: object, properties: {name: {type: string}}}
              example: {name: Ann}
"##;
    let (api, warnings) = lower_with_warnings(text);
    let op = &api.groups[0].operations[0];
    expect![[r#"
        Empty
        [None]
        spec.yaml:10:11: warning: a 204 response has no body in HTTP; its documented content is ignored (at #/paths/~1me/patch/responses/204/content)
    "#]].assert_eq(&format!("{:?}\n{:?}\n{warnings}", op.success.arms[0].payload, op.examples.success));
}

/// An API key whose header name no request can carry (a display name, as
/// RapidAPI's specs have) is left out with a warning; the operations needing
/// it are sent without it rather than refused at every call.
#[test]
fn an_api_key_header_that_is_not_a_header_name_is_left_out_with_a_warning() {
    let text = "openapi: 3.0.3
info: {title: t, version: '1'}
security: [{display: []}, {good: []}]
paths:
  /a:
    get:
      operationId: a
      responses: {'204': {description: ok}}
components:
  securitySchemes:
    display: {type: apiKey, in: header, name: My API Key}
    good: {type: apiKey, in: header, name: X-Api-Key}
";
    let (api, warnings) = lower_with_warnings(text);
    let schemes: Vec<&str> = api.security_schemes.iter().map(|scheme| scheme.key.as_str()).collect();
    let security = &api.groups[0].operations[0].security;
    expect![[r#"
        schemes: ["good"]; security of `a`: [[], [0]]
        spec.yaml:11:41: warning: `My API Key` is not an HTTP header name (RFC 9110: letters, digits and !#$%&'*+-.^_`|~ only); the scheme is left out, and operations requiring it are sent without it (at #/components/securitySchemes/display/name)
    "#]]
    .assert_eq(&format!("schemes: {schemes:?}; security of `a`: {security:?}\n{warnings}"));
}

/// A path segment always has a value: a `nullable` path parameter is taken
/// as its plain type (as `Option`, its example and every `None` were refused
/// at the call: "path parameter `id` is empty").
#[test]
fn a_nullable_path_parameter_takes_its_plain_type() {
    let text = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, nullable: true}}
        - {name: note, in: query, required: true, schema: {type: string, nullable: true}}
      responses: {'204': {description: ok}}
";
    let (api, _) = lower_with_warnings(text);
    let params: Vec<String> = api.groups[0].operations[0].params.iter().map(|p| format!("{}: {:?}", p.wire, p.ty)).collect();
    expect![[r#"
        id: String
        note: Option(String)
    "#]]
    .assert_eq(&(params.join("\n") + "\n"));
}

/// A header parameter whose name no request can carry (notion.com's
/// nameless one) is left out with a warning, rather than refused at every call.
#[test]
fn a_header_parameter_that_is_not_a_header_name_is_ignored_with_a_warning() {
    let text = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pages:
    get:
      operationId: getPage
      parameters:
        - {name: Notion-Version, in: header, schema: {type: string}}
        - {name: '', in: header, schema: {type: string}}
      responses: {'204': {description: ok}}
";
    let (api, warnings) = lower_with_warnings(text);
    let params: Vec<&str> = api.groups[0].operations[0].params.iter().map(|p| p.wire.as_str()).collect();
    expect![[r#"
        ["Notion-Version"]
        spec.yaml:9:12: warning: a header parameter with an empty name is ignored (at #/paths/~1pages/get/parameters/1/name)
    "#]]
    .assert_eq(&format!("{params:?}\n{warnings}"));
}

/// HTTP gives an answer to `HEAD` no body: a documented one (Kubernetes'
/// proxy operations document a string) is ignored with a warning, where the
/// client used to fail decoding the empty body.
#[test]
fn answers_to_head_have_no_body() {
    let text = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /proxy:
    head:
      operationId: headProxy
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: string}}}}
";
    let (api, warnings) = lower_with_warnings(text);
    let arms: Vec<String> = api.groups[0].operations[0].success.arms.iter().map(|arm| format!("{:?}", arm.payload)).collect();
    expect![[r#"
        ["Empty"]
        spec.yaml:8:34: warning: an answer to HEAD has no body in HTTP; the documented content of its 200 response is ignored (at #/paths/~1proxy/head/responses/200/content)
    "#]]
    .assert_eq(&format!("{arms:?}\n{warnings}"));
}
