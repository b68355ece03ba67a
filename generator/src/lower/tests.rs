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
