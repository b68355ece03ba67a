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
