//! `x-pagination` on an operation → [`Pagination`]: which parameter (or body
//! field) asks for the next page, and where in the success body the items, the
//! next cursor and the "more pages" flag are.
//!
//! The extension is read from the raw document and checked against the types
//! already lowered, so each JSON pointer it holds becomes a path of Rust
//! fields, and each problem a located diagnostic:
//!
//! ```yaml
//! x-pagination:
//!   items: /response/data                 # the array of items in the success body
//!   page:                                 # numbered pages...
//!     param: page[number]                 #   the integer query parameter taking the number
//!     first: 1                            #   the first page's number (default 1)
//!     hasMore: /response/details/page/hasMore   # optional boolean: another page follows
//!   cursor:                               # ...or an opaque cursor
//!     param: x-continuation-token         #   the query or header parameter taking it,
//!     field: cursor                       #   or a property of the JSON request body
//!     next: /continuationToken            #   where the next cursor is in the success body
//! ```


use serde::Deserialize;
use serde_json::Value;

use crate::diagnostics::Reporter;
use crate::pointer::unescape_segment;
use crate::ir::{
    BodyKind, CursorTarget, FieldStep, Group, Layer, Operation, OutcomeType, PageStyle, Pagination,
    ParamLocation, Payload, TypeDef, TypeKind, TypeRef,
};

/// The name of the extension.
pub const EXTENSION: &str = "x-pagination";

/// An operation carrying `x-pagination`, lowered once the types are final.
pub struct Paginated<'a> {
    /// Its group, and its index in the group.
    pub at: (usize, usize),
    /// The extension's value.
    pub extension: &'a serde_json::Value,
    /// JSON pointer to the extension.
    pub pointer: String,
}


#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Extension {
    items: String,
    page: Option<PageSpec>,
    cursor: Option<CursorSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct PageSpec {
    param: String,
    first: Option<i64>,
    has_more: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CursorSpec {
    param: Option<String>,
    field: Option<String>,
    next: String,
}

/// Sets `Operation::pagination` of every operation carrying `x-pagination`.
pub fn lower_paginations(paginated: &[Paginated<'_>], groups: &mut [Group], types: &[TypeDef], reporter: &mut Reporter<'_>) {
    let types = Types(types);
    for Paginated { at: (g, o), extension, pointer } in paginated {
        let op = &groups[*g].operations[*o];
        let pagination = Checker { op, types: &types, at: pointer, reporter: &mut *reporter }.lower(extension);
        groups[*g].operations[*o].pagination = pagination;
    }
}

/// The lowered types, by index.
struct Types<'t>(&'t [TypeDef]);

impl Types<'_> {
    /// Strips what Rust code reaches through without naming it: aliases; and
    /// records the `Option`s and `Box`es it has to open.
    fn peel<'s>(&'s self, mut ty: &'s TypeRef, layers: &mut Vec<Layer>) -> TypeRef {
        for _ in 0..32 {
            match ty {
                TypeRef::Option(inner) => {
                    layers.push(Layer::Option);
                    ty = inner;
                }
                TypeRef::Boxed(inner) => {
                    layers.push(Layer::Box);
                    ty = inner;
                }
                TypeRef::Named(id) => match self.0.get(id.index()).map(|def| &def.kind) {
                    Some(TypeKind::Alias(target)) => ty = target,
                    _ => break,
                },
                _ => break,
            }
        }
        ty.clone()
    }

    /// Follows a JSON pointer from `root` through struct fields: the steps,
    /// and the type found at the end.
    fn walk(&self, root: &TypeRef, pointer: &str) -> Result<(Vec<FieldStep>, TypeRef), String> {
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(format!("`{pointer}` is not a JSON pointer (it starts with `/`)"));
        }
        let mut steps = Vec::new();
        let mut here = self.peel(root, &mut Vec::new());
        let mut walked = String::new();
        for token in pointer.split('/').skip(1) {
            let wire = unescape_segment(token);
            let fields = match &here {
                TypeRef::Named(id) => match self.0.get(id.index()).map(|def| &def.kind) {
                    Some(TypeKind::Struct { fields, .. }) => fields,
                    _ => return Err(format!("`{walked}` is not an object with properties, so `{pointer}` does not exist in the response")),
                },
                _ => return Err(format!("`{walked}` is not an object with properties, so `{pointer}` does not exist in the response")),
            };
            let Some(field) = fields.iter().find(|f| f.wire == wire) else {
                return Err(format!("`{pointer}` does not exist in the response: `{walked}` has no property `{wire}`"));
            };
            let mut layers = if field.required { Vec::new() } else { vec![Layer::Option] };
            here = self.peel(&field.ty, &mut layers);
            steps.push(FieldStep { ident: field.ident.clone(), layers });
            walked.push('/');
            walked.push_str(token);
        }
        Ok((steps, here))
    }
}

/// Checks one operation's extension.
struct Checker<'c, 'r> {
    op: &'c Operation,
    types: &'c Types<'c>,
    at: &'c str,
    reporter: &'c mut Reporter<'r>,
}

impl Checker<'_, '_> {
    fn lower(&mut self, extension: &Value) -> Option<Pagination> {
        let extension: Extension = match serde_json::from_value(extension.clone()) {
            Ok(extension) => extension,
            Err(error) => return self.fail("", format!("`{EXTENSION}` is malformed: {error}")),
        };
        let body = match &self.op.success.ty {
            OutcomeType::Single(Payload::Json(ty)) => ty.clone(),
            _ => return self.fail("", format!("`{EXTENSION}` needs an operation whose successes share one JSON body")),
        };
        let (items, item) = match self.types.walk(&body, &extension.items) {
            Ok((steps, TypeRef::Vec(item))) => (steps, *item),
            Ok(_) => return self.fail("/items", format!("`{}` is not an array in the response", extension.items)),
            Err(problem) => return self.fail("/items", problem),
        };
        let style = match (extension.page, extension.cursor) {
            (Some(page), None) => self.page(page, &body)?,
            (None, Some(cursor)) => self.cursor(cursor, &body)?,
            _ => return self.fail("", format!("`{EXTENSION}` takes exactly one of `page` and `cursor`")),
        };
        Some(Pagination { items, item, style })
    }

    fn fail<T>(&mut self, at: &str, message: String) -> Option<T> {
        self.reporter.error(&format!("{}{at}", self.at), message);
        None
    }

    /// The index of the parameter named `wire`, and its type.
    fn param(&mut self, at: &str, wire: &str) -> Option<(usize, ParamLocation, TypeRef)> {
        match self.op.params.iter().position(|p| p.wire == wire) {
            Some(index) => {
                let param = &self.op.params[index];
                Some((index, param.location, self.types.peel(&param.ty, &mut Vec::new())))
            }
            None => self.fail(at, format!("the operation declares no parameter `{wire}`")),
        }
    }

    fn page(&mut self, page: PageSpec, body: &TypeRef) -> Option<PageStyle> {
        let (param, location, ty) = self.param("/page/param", &page.param)?;
        if location != ParamLocation::Query || !matches!(ty, TypeRef::I32 | TypeRef::I64) {
            return self.fail("/page/param", format!("the page number `{}` must be an integer query parameter", page.param));
        }
        let has_more = match page.has_more {
            None => None,
            Some(pointer) => match self.types.walk(body, &pointer) {
                Ok((steps, TypeRef::Bool)) => Some(steps),
                Ok(_) => return self.fail("/page/hasMore", format!("`{pointer}` is not a boolean in the response")),
                Err(problem) => return self.fail("/page/hasMore", problem),
            },
        };
        Some(PageStyle::PageNumber { param, first: page.first.unwrap_or(1), has_more })
    }

    fn cursor(&mut self, cursor: CursorSpec, body: &TypeRef) -> Option<PageStyle> {
        let target = match (cursor.param, cursor.field) {
            (Some(wire), None) => {
                let (index, location, ty) = self.param("/cursor/param", &wire)?;
                if !matches!(location, ParamLocation::Query | ParamLocation::Header) || ty != TypeRef::String {
                    return self.fail("/cursor/param", format!("the cursor `{wire}` must be a string query or header parameter"));
                }
                CursorTarget::Param(index)
            }
            (None, Some(wire)) => {
                let request = match self.op.body.as_ref().map(|b| &b.kind) {
                    Some(BodyKind::Json(ty)) => ty.clone(),
                    _ => return self.fail("/cursor/field", String::from("a cursor `field` needs a JSON request body")),
                };
                match self.types.walk(&request, &format!("/{}", wire.replace('~', "~0").replace('/', "~1"))) {
                    Ok((_, TypeRef::String)) => CursorTarget::BodyField(wire),
                    Ok(_) => return self.fail("/cursor/field", format!("the request body's `{wire}` is not a string")),
                    Err(_) => return self.fail("/cursor/field", format!("the request body has no property `{wire}`")),
                }
            }
            _ => return self.fail("/cursor", String::from("a cursor takes exactly one of `param` and `field`")),
        };
        let next = match self.types.walk(body, &cursor.next) {
            Ok((steps, TypeRef::String)) => steps,
            Ok(_) => return self.fail("/cursor/next", format!("`{}` is not a string in the response", cursor.next)),
            Err(problem) => return self.fail("/cursor/next", problem),
        };
        Some(PageStyle::Cursor { target, next })
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    /// Lowers a spec whose only operation is `GET /items` with `operation`
    /// (YAML, indented for its place) and the given component schemas.
    fn lowered(operation: &str, schemas: &str) -> String {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /items:\n    get:\n{operation}\ncomponents:\n  schemas:\n{schemas}"
        );
        match crate::lower::lower_snippet(&text) {
            Ok(api) => format!("{:#?}", api.groups[0].operations[0].pagination),
            Err(diagnostics) => diagnostics.to_string(),
        }
    }

    const PAGE_SCHEMAS: &str = "    Envelope:
      type: object
      properties:
        response:
          type: object
          properties:
            data: {type: array, items: {$ref: '#/components/schemas/Item'}}
            details:
              type: object
              properties:
                page:
                  type: object
                  required: [hasMore]
                  properties: {hasMore: {type: boolean}}
    Item:
      type: object
      properties: {id: {type: string}}
";

    fn check(operation: &str, schemas: &str, expected: Expect) {
        expected.assert_eq(&lowered(operation, schemas));
    }

    #[test]
    fn page_number_reaches_items_and_has_more_through_optional_fields() {
        check(
            "      parameters:
        - {name: 'page[number]', in: query, schema: {type: integer, format: int32}}
      x-pagination:
        items: /response/data
        page: {param: 'page[number]', hasMore: /response/details/page/hasMore}
      responses:
        '200':
          description: ok
          content:
            application/json: {schema: {$ref: '#/components/schemas/Envelope'}}",
            PAGE_SCHEMAS,
            expect![[r#"
                Some(
                    Pagination {
                        items: [
                            FieldStep {
                                ident: "response",
                                layers: [
                                    Option,
                                ],
                            },
                            FieldStep {
                                ident: "data",
                                layers: [
                                    Option,
                                ],
                            },
                        ],
                        item: Named(
                            #4 Item,
                        ),
                        style: PageNumber {
                            param: 0,
                            first: 1,
                            has_more: Some(
                                [
                                    FieldStep {
                                        ident: "response",
                                        layers: [
                                            Option,
                                        ],
                                    },
                                    FieldStep {
                                        ident: "details",
                                        layers: [
                                            Option,
                                        ],
                                    },
                                    FieldStep {
                                        ident: "page",
                                        layers: [
                                            Option,
                                        ],
                                    },
                                    FieldStep {
                                        ident: "has_more",
                                        layers: [],
                                    },
                                ],
                            ),
                        },
                    },
                )"#]],
        );
    }

    #[test]
    fn a_cursor_header_with_a_nullable_token() {
        check(
            "      parameters:
        - {name: x-token, in: header, schema: {type: string}}
      x-pagination:
        items: /items
        cursor: {param: x-token, next: /next}
      responses:
        '200':
          description: ok
          content:
            application/json: {schema: {$ref: '#/components/schemas/List'}}",
            "    List:
      type: object
      required: [items, next]
      properties:
        items: {type: array, items: {type: string}}
        next: {type: string, nullable: true}
",
            expect![[r#"
                Some(
                    Pagination {
                        items: [
                            FieldStep {
                                ident: "items",
                                layers: [],
                            },
                        ],
                        item: String,
                        style: Cursor {
                            target: Param(
                                0,
                            ),
                            next: [
                                FieldStep {
                                    ident: "next",
                                    layers: [
                                        Option,
                                    ],
                                },
                            ],
                        },
                    },
                )"#]],
        );
    }

    #[test]
    fn mistakes_are_located_diagnostics() {
        let response = "      responses:
        '200':
          description: ok
          content:
            application/json: {schema: {$ref: '#/components/schemas/Envelope'}}";
        let cases = [
            ("x-pagination: {items: /response/rows, page: {param: p}}", expect![[r#"
                spec.yaml:6:22: `/response/rows` does not exist in the response: `/response` has no property `rows` (at #/paths/~1items/get/x-pagination/items)
            "#]]),
            ("x-pagination: {items: /response/data, page: {param: p}}", expect![[r#"
                spec.yaml:6:52: the operation declares no parameter `p` (at #/paths/~1items/get/x-pagination/page/param)
            "#]]),
            ("x-pagination: {items: /response, cursor: {field: c, next: /x}}", expect![[r#"
                spec.yaml:6:22: `/response` is not an array in the response (at #/paths/~1items/get/x-pagination/items)
            "#]]),
            ("x-pagination: {items: /response/data, cursor: {field: c, next: /x}}", expect![[r#"
                spec.yaml:6:54: a cursor `field` needs a JSON request body (at #/paths/~1items/get/x-pagination/cursor/field)
            "#]]),
            ("x-pagination: {items: /response/data, page: {param: p, hasMore: /response/details/page}, cursor: {param: p, next: /x}}", expect![[r#"
                spec.yaml:6:7: `x-pagination` takes exactly one of `page` and `cursor` (at #/paths/~1items/get/x-pagination)
            "#]]),
            ("x-pagination: {items: /response/data, pages: 2}", expect![[r#"
                spec.yaml:6:7: `x-pagination` is malformed: unknown field `pages`, expected one of `items`, `page`, `cursor` (at #/paths/~1items/get/x-pagination)
            "#]]),
        ];
        for (extension, expected) in cases {
            check(&format!("      {extension}\n{response}"), PAGE_SCHEMAS, expected);
        }
    }
}
