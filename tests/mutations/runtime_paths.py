#!/usr/bin/env python3
"""Mutation check of the client runtime's wire paths (issue 12's bar).

Breaks one runtime path in templates/runtime/ at a time, runs the end-to-end
tests of tests/e2e/runtime_paths.rs (which call the golden fixture clients,
compiled against the templates directly) or, for the structs' JSON helpers of
object.rs, tests/e2e/objects.rs, reports which test caught it, and restores the
file. Every mutation must be caught.

    python3 tests/mutations/runtime_paths.py [NAME ...]

Run from the repository root with a clean templates/ (it rewrites files in
place, and restores each one after its run).
"""
import subprocess, sys
muts = [
 ("form join", "templates/runtime/params.rs", 'QueryStyle::Form => vec![joined(&items, ",")]', 'QueryStyle::Form => vec![joined(&items, "|")]'),
 ("space join", "templates/runtime/params.rs", 'vec![joined(&items, "%20")]', 'vec![joined(&items, ",")]'),
 ("pipe join", "templates/runtime/params.rs", 'vec![joined(&items, "%7C")]', 'vec![joined(&items, ",")]'),
 ("deepObject", "templates/runtime/params.rs", 'pair(&format!("{name}[{key}]"), &scalar_text(field))', 'pair(key, &scalar_text(field))'),
 ("path object", "templates/runtime/params.rs", 'Ok(Value::Object(fields)) => fields.iter().flat_map(|(key, field)| [key.clone(), scalar_text(field)]).collect(),', 'Ok(Value::Object(fields)) => vec![Value::Object(fields).to_string()],'),
 ("path array", "templates/runtime/params.rs", 'Ok(Value::Array(items)) => items.iter().map(scalar_text).collect(),', 'Ok(Value::Array(items)) => vec![Value::Array(items).to_string()],'),
 ("path placeholder", "templates/runtime/request.rs", "self.path.as_bytes().get(end) == Some(&b'}')", "true"),
 ("cookie encode", "templates/runtime/request.rs", 'self.cookies.push((name.to_owned(), encode(&text).to_string()));', 'self.cookies.push((name.to_owned(), text));'),
 ("form content type", "templates/runtime/request.rs", 'content_type: "application/x-www-form-urlencoded"', 'content_type: "application/json"'),
 ("multipart replay", "templates/runtime/request.rs", 'Body::Multipart(_) | Body::Spent => false,', 'Body::Multipart(_) | Body::Spent => true,'),
 ("query key", "templates/runtime/request.rs", 'let _ = write!(query, "{}={}", encode(name), encode(value));', 'let _ = (name, value);'),
 ("cookie key", "templates/runtime/request.rs", 'cookies.push(((*name).to_owned(), encode(value).to_string()));', 'let _ = (name, value);'),
 ("public url", "templates/runtime/send.rs", 'public_url.clone().unwrap_or_else(|| current.url().clone())', 'current.url().clone()'),
 ("redact apikey", "templates/runtime/auth.rs", 'Credential::ApiKey { location, name, .. } => f\n                .debug_struct("ApiKey")\n                .field("location", location)\n                .field("name", name)\n                .field("value", &"<redacted>")', 'Credential::ApiKey { location, name, value } => f\n                .debug_struct("ApiKey")\n                .field("location", location)\n                .field("name", name)\n                .field("value", value)'),
 ("redact bearer", "templates/runtime/auth.rs", 'Credential::Authorization { scheme: AuthorizationScheme::Bearer, .. } => f.write_str("Bearer(<redacted>)"),', 'Credential::Authorization { scheme: AuthorizationScheme::Bearer, value } => write!(f, "Bearer({:?})", value.as_ref().and_then(|v| v.to_str().ok())),'),
 ("retry-after date", "templates/runtime/retry.rs", 'let when = httpdate::parse_http_date(value).ok()?;', 'let when = httpdate::parse_http_date("x").ok()?;'),
 ("max backoff", "templates/runtime/send.rs", 'Some(asked) if asked > retry.max_backoff => None,', 'Some(asked) if asked > retry.max_backoff * 1000 => None,'),
 ("idempotent delete", "templates/runtime/request.rs", 'Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS', 'Method::GET | Method::HEAD | Method::PUT | Method::OPTIONS'),
 ("idempotent head", "templates/runtime/request.rs", 'Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS', 'Method::GET | Method::PUT | Method::DELETE | Method::OPTIONS'),
 ("idempotent options", "templates/runtime/request.rs", 'Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS', 'Method::GET | Method::HEAD | Method::PUT | Method::DELETE'),
]
# The structs' JSON helpers, checked by tests/e2e/objects.rs.
muts += [
 ("duplicate field", "templates/runtime/object.rs", 'return Err(de::Error::duplicate_field(name));', 'return Ok(());', "objects"),
 ("optional written when unset", "templates/runtime/object.rs", 'None => Ok(()),', 'None => map.serialize_entry(name, &()),', "objects"),
 ("additional properties dropped", "templates/runtime/object.rs", 'into.insert(name.0.into_owned(), self.0.next_value()?);', 'let _ = (name, into);\n        self.0.next_value::<IgnoredAny>()?;', "objects"),
 ("escaped names not matched", "templates/runtime/object.rs", 'Ok(FieldName(Cow::Owned(name.to_owned())))', 'Ok(FieldName(Cow::Owned(String::new())))', "objects"),
]
only = sys.argv[1:]
missed = 0
for name, path, old, new, *tests in muts:
    if only and name not in only: continue
    src = open(path).read()
    if old not in src:
        # A pattern the runtime no longer has checks nothing: that is a failure too.
        print(f"{name}: PATTERN NOT FOUND", flush=True); missed += 1; continue
    open(path, 'w').write(src.replace(old, new, 1))
    try:
        r = subprocess.run(["cargo","test","-q","-p","clientgen-tests","--test","e2e",(tests or ["runtime_paths"])[0]], capture_output=True, text=True, timeout=400)
        out = r.stdout + r.stderr
        failed = [l.split(" ---")[0].strip() for l in out.splitlines() if "--- FAILED" in l]
        compile_err = "error[" in out or "could not compile" in out
        print(f"{name}: {'COMPILE ERROR' if compile_err else ('caught by ' + ', '.join(failed) if failed else 'NOT CAUGHT')}", flush=True)
        missed += 0 if failed and not compile_err else 1
    finally:
        open(path, 'w').write(src)
sys.exit(1 if missed else 0)
