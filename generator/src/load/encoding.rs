//! `explode` of a form body's `encoding` entries, written out before
//! `openapiv3` reads them: it defaults a missing `explode` to false, where
//! OpenAPI says true for `style: form` (the default style).

use serde_json::Value;

/// Gives every `encoding` entry of the request bodies in `raw` (under
/// `paths` and `components.requestBodies`) an explicit `explode`.
pub fn explicit_explodes(raw: &mut Value) {
    let operations = raw
        .get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|paths| paths.values_mut())
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut())
        .filter_map(|operation| operation.get_mut("requestBody"));
    for body in operations {
        explode_entries(body);
    }
    let components = raw.pointer_mut("/components/requestBodies").and_then(Value::as_object_mut);
    for body in components.into_iter().flat_map(|bodies| bodies.values_mut()) {
        explode_entries(body);
    }
}

fn explode_entries(body: &mut Value) {
    let media_types = body.get_mut("content").and_then(Value::as_object_mut).into_iter().flat_map(|content| content.values_mut());
    for entry in media_types
        .filter_map(|media| media.get_mut("encoding").and_then(Value::as_object_mut))
        .flat_map(|encoding| encoding.values_mut())
        .filter_map(Value::as_object_mut)
    {
        if !entry.contains_key("explode") {
            let form = entry.get("style").is_none_or(|style| style == "form");
            entry.insert(String::from("explode"), Value::Bool(form));
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn a_missing_explode_is_true_for_form_only() {
        let mut raw = json!({"paths": {"/a": {"post": {"requestBody": {"content": {"application/x-www-form-urlencoded": {
            "encoding": {"tags": {}, "ids": {"style": "form", "explode": false}, "point": {"style": "deepObject"}}
        }}}}}}});
        super::explicit_explodes(&mut raw);
        let encoding = &raw["paths"]["/a"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]["encoding"];
        assert_eq!(encoding, &json!({"tags": {"explode": true}, "ids": {"style": "form", "explode": false}, "point": {"style": "deepObject", "explode": false}}));
    }
}
