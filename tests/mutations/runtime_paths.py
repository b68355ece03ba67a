#!/usr/bin/env python3
"""Mutation check of the client runtime: each mutation breaks one rule of
templates/runtime/ and names the one end-to-end test that must catch it.

The runtime exists twice: the template (templates/runtime/, which the golden
fixture clients of clientgen_tests compile directly) and its verbatim copy in
the generated crate (generated/src/runtime/, which api_clients compiles). A
mutation is applied to the copy its test compiles: `T` for the template, `G`
for the generated copy. Both must hold the pattern, so that a template edit
that was not regenerated is noticed too.

First a baseline: every named test must pass with no mutation (else a
"caught" mutation would prove nothing). Then, per mutation: apply it, run
exactly its test, restore the file. A mutation counts as caught only when that
test fails (not when the code stops compiling, and not when some other test
fails). Exit 1 when the baseline fails or any mutation is not caught.

    python3 tests/mutations/runtime_paths.py [NAME ...]

Run from the repository root with a clean runtime (files are rewritten in
place and restored after each run, also on Ctrl-C).
"""
import signal
import subprocess
import sys
import time

T = "templates/runtime/"
G = "generated/src/runtime/"

# (name, copy, file, pattern, replacement, the test that must fail)
MUTATIONS = [
    # Query, path, cookie and body encodings (golden fixture `params`, `bodies`, `security`).
    ("form join", T, "params.rs", 'QueryStyle::Form => vec![joined(&items, ",")]', 'QueryStyle::Form => vec![joined(&items, "|")]',
     "runtime_paths::form_arrays_explode_or_join_with_literal_commas_and_cookies_are_encoded"),
    ("space join", T, "params.rs", 'vec![joined(&items, "%20")]', 'vec![joined(&items, ",")]',
     "runtime_paths::every_query_style_is_written_as_openapi_says"),
    ("pipe join", T, "params.rs", 'vec![joined(&items, "%7C")]', 'vec![joined(&items, ",")]',
     "runtime_paths::every_query_style_is_written_as_openapi_says"),
    ("deepObject", T, "params.rs", 'pair(&format!("{name}[{key}]"), &scalar_text(field))', 'pair(key, &scalar_text(field))',
     "runtime_paths::every_query_style_is_written_as_openapi_says"),
    ("path object", T, "params.rs",
     'Ok(Value::Object(fields)) => fields.iter().flat_map(|(key, field)| [key.clone(), scalar_text(field)]).collect(),',
     'Ok(Value::Object(fields)) => vec![Value::Object(fields).to_string()],',
     "runtime_paths::arrays_and_objects_in_the_path_use_the_simple_style"),
    ("path array", T, "params.rs", 'Ok(Value::Array(items)) => items.iter().map(scalar_text).collect(),',
     'Ok(Value::Array(items)) => vec![Value::Array(items).to_string()],',
     "runtime_paths::arrays_and_objects_in_the_path_use_the_simple_style"),
    ("path placeholder", T, "request.rs", "self.path.as_bytes().get(end) == Some(&b'}')", "true",
     "runtime_paths::a_path_parameter_fills_only_its_own_placeholder"),
    ("cookie encode", T, "request.rs", 'self.cookies.push((name.to_owned(), encode(&text).to_string()));',
     'self.cookies.push((name.to_owned(), text));',
     "runtime_paths::form_arrays_explode_or_join_with_literal_commas_and_cookies_are_encoded"),
    ("form content type", T, "request.rs", 'content_type: "application/x-www-form-urlencoded"', 'content_type: "application/json"',
     "runtime_paths::a_form_body_is_urlencoded"),
    ("multipart replay", T, "body.rs", 'self.try_clone().is_some()', 'true',
     "runtime_paths::a_multipart_body_is_never_retried_even_on_a_put"),
    ("query key", T, "request.rs", 'let _ = write!(query, "{}={}", encode(name), encode(value));', 'let _ = (name, value);',
     "runtime_paths::api_keys_in_the_query_and_cookie_are_sent_and_never_shown"),
    ("cookie key", T, "request.rs", 'cookies.push(((*name).to_owned(), encode(value).to_string()));', 'let _ = (name, value);',
     "runtime_paths::api_keys_in_the_query_and_cookie_are_sent_and_never_shown"),
    ("public url", T, "send.rs", 'public_url.clone().unwrap_or_else(|| current.url().clone())', 'current.url().clone()',
     "runtime_paths::api_keys_in_the_query_and_cookie_are_sent_and_never_shown"),
    ("redact apikey", T, "auth.rs",
     'Credential::ApiKey { location, name, .. } => f\n                .debug_struct("ApiKey")\n                .field("location", location)\n                .field("name", name)\n                .field("value", &"<redacted>")',
     'Credential::ApiKey { location, name, value } => f\n                .debug_struct("ApiKey")\n                .field("location", location)\n                .field("name", name)\n                .field("value", value)',
     "runtime_paths::api_keys_in_the_query_and_cookie_are_sent_and_never_shown"),
    ("redact bearer", T, "auth.rs",
     'Credential::Authorization { scheme: AuthorizationScheme::Bearer, .. } => f.write_str("Bearer(<redacted>)"),',
     'Credential::Authorization { scheme: AuthorizationScheme::Bearer, value } => write!(f, "Bearer({:?})", value.as_ref().and_then(|v| v.to_str().ok())),',
     "runtime_paths::bearer_tokens_are_never_shown"),
    # Retries.
    ("retry-after date", T, "retry.rs", 'let when = httpdate::parse_http_date(value).ok()?;', 'let when = httpdate::parse_http_date("x").ok()?;',
     "runtime_paths::retry_after_as_an_http_date_is_honoured"),
    ("max backoff", T, "send.rs", 'Some(asked) if asked > retry.max_backoff => None,', 'Some(asked) if asked > retry.max_backoff * 1000 => None,',
     "runtime_paths::a_retry_after_beyond_the_maximum_backoff_ends_the_retries"),
    ("idempotent delete", T, "request.rs", 'Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS',
     'Method::GET | Method::HEAD | Method::PUT | Method::OPTIONS', "runtime_paths::delete_head_and_options_are_retried_like_get"),
    ("idempotent head", T, "request.rs", 'Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS',
     'Method::GET | Method::PUT | Method::DELETE | Method::OPTIONS', "runtime_paths::delete_head_and_options_are_retried_like_get"),
    ("idempotent options", T, "request.rs", 'Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS',
     'Method::GET | Method::HEAD | Method::PUT | Method::DELETE', "runtime_paths::delete_head_and_options_are_retried_like_get"),
    ("backoff doubling", G, "retry.rs", '.saturating_mul(1 << retry.min(16))', '.saturating_mul(1)',
     "wire_paths::the_backoff_doubles_up_to_its_cap_with_equal_jitter"),
    ("backoff jitter", G, "retry.rs", 'half.saturating_add(half.mul_f64(fastrand::f64()))', 'half.saturating_add(half)',
     "wire_paths::the_backoff_doubles_up_to_its_cap_with_equal_jitter"),
    ("idempotency key retry", T, "request.rs", '                self.retry_safe = true;\n                self.single_use = Some(name);',
     '                self.single_use = Some(name);',
     "wire_paths::the_standard_idempotency_key_makes_a_post_retryable_and_is_sent_on_each_attempt"),
    # Deadlines and durations.
    ("deadline caps the attempt", G, "send.rs", 'let left = call_end.map_or(timeout, |end| end.saturating_duration_since(now).min(timeout));',
     'let left = timeout;', "limits::a_stalled_attempt_ends_at_the_deadline_client_wide_and_per_call"),
    ("unchecked attempt end", G, "send.rs", 'let attempt_end = now.checked_add(left).map(tokio::time::Instant::from_std);',
     'let attempt_end = Some(tokio::time::Instant::from_std(now + left));',
     "durations::duration_max_means_no_limit_client_wide_and_per_call"),
    ("unchecked wait", G, "send.rs", 'Some(end) => Instant::now().checked_add(wait).is_some_and(|ready| ready < end),',
     'Some(end) => Instant::now() + wait < end,', "durations::a_retry_after_past_the_deadline_is_answered_now"),
    # Walks over pages.
    ("cursor cycle", G, "paginate.rs", 'walk.cursors.insert(cursor.to_owned(), page);', 'let _ = page;',
     "pagination::ksef_a_token_handed_back_again_ends_the_walk_with_a_typed_error"),
    ("starting cursor", T, "paginate.rs", 'cursors.insert(cursor, 0);', 'let _ = cursor;',
     "walks::the_cursor_a_call_starts_from_counts_as_seen"),
    ("empty numbered page", G, "paginate.rs", 'if claims_more && listed.is_empty() {', 'if claims_more && listed.is_empty() && false {',
     "walks::an_empty_numbered_page_that_claims_more_ends_the_walk_with_a_typed_error"),
    ("empty cursor page", T, "paginate.rs", '(Some(_), Some(_)) if listed.is_empty() => {', '(Some(_), Some(_)) if listed.is_empty() && false => {',
     "walks::an_empty_cursor_page_that_claims_more_ends_the_walk_with_a_typed_error"),
    ("repeated page", G, "paginate.rs", '!listed.is_empty() && previous == listed', 'previous.is_empty() && !previous.is_empty()',
     "walks::a_server_ignoring_the_page_number_ends_the_walk_without_repeating_items"),
    ("single-use header", G, "paginate.rs", 'let start = match first.request.single_use_header_name() {', 'let start = match None::<&str> {',
     "walks::a_walk_refuses_single_use_headers_before_the_first_request"),
    ("walk deadline per page", G, "paginate.rs", 'call.request.cap_deadline(left)', 'false',
     "walks::a_walk_deadline_bounds_the_whole_walk_not_each_page"),
    ("client walk deadline", G, "request.rs", 'self.walk_deadline.or(self.config.walk_deadline)', 'self.walk_deadline',
     "walks::a_client_wide_walk_deadline_applies_to_every_walk"),
    # Credentials and signing.
    ("signed body", G, "signing.rs", 'mac.update(body);', 'mac.update(b"");',
     "talon_one::every_v1_operation_authenticates_with_only_the_content_signature"),
    ("empty signing key", G, "signing.rs", 'Ok(key) if key.is_empty() =>', 'Ok(key) if key.is_empty() && false =>',
     "credentials::an_empty_signing_key_is_refused"),
    ("signer fields", G, "signing.rs", "matches!(c, ';' | '=' | ',')", "matches!(c, ',')",
     "credentials::a_signer_that_would_add_fields_to_the_signature_header_is_refused"),
    ("basic colon", G, "auth.rs", "if username.contains(':')", "if username.contains('\\0')",
     "credentials::a_basic_user_name_containing_a_colon_is_refused"),
    # Headers the HTTP client owns.
    ("framing header on a call", G, "request.rs", '(Ok(name), _) if is_framing_header(&name) =>', '(Ok(name), _) if is_framing_header(&name) && false =>',
     "owned_headers::a_call_cannot_set_the_headers_that_frame_the_message"),
    ("framing header from a hook", G, "send.rs", 'keys().find(|name| is_framing_header(name))', 'keys().find(|_| false)',
     "owned_headers::a_hook_cannot_set_the_headers_that_frame_the_message"),
    ("content type from the call", G, "body.rs",
     'headers.entry(reqwest::header::CONTENT_TYPE).or_insert(HeaderValue::from_static(content_type));',
     'headers.insert(reqwest::header::CONTENT_TYPE, HeaderValue::from_static(content_type));',
     "owned_headers::a_content_type_or_authorization_set_on_the_call_wins"),
    # What an API error says when logged.
    ("api error shows its body", G, "error.rs", '#[error("the API answered with HTTP {}: {}", .0.status(), .0.raw_body())]',
     '#[error("the API answered with HTTP {}", .0.status())]',
     "klarna_payments::read_credit_session_403_and_404_are_typed_error_bodies"),
    # The structs' JSON helpers (golden fixtures).
    ("duplicate field", T, "object.rs", 'return Err(de::Error::duplicate_field(name));', 'return Ok(());',
     "objects::missing_repeated_and_mistyped_fields_are_errors_that_name_them"),
    ("optional written when unset", T, "object.rs", 'None => Ok(()),', 'None => map.serialize_entry(name, &()),',
     "objects::absent_null_and_a_value_stay_apart_both_ways"),
    ("additional properties dropped", T, "object.rs", 'into.insert(name.0.into_owned(), self.0.next_value()?);',
     'let _ = (name, into);\n        self.0.next_value::<IgnoredAny>()?;',
     "objects::additional_properties_are_kept_and_written_back_after_the_fields"),
    ("escaped names not matched", T, "object.rs", 'Ok(FieldName(Cow::Owned(name.to_owned())))', 'Ok(FieldName(Cow::Owned(String::new())))',
     "objects::escaped_field_names_are_matched_by_their_value"),
    # Credentials from providers and OAuth 2 client credentials (golden fixture `tokens`).
    ("single flight", T, "provider.rs", "let _flight = self.flight.lock().await;", "let _flight = ();",
     "tokens::fifty_concurrent_calls_ask_the_provider_once"),
    ("shared failure", T, "provider.rs", ".filter(|_| state.answered != answered_before)", ".filter(|_| false)",
     "tokens::a_failing_provider_is_asked_once_by_the_calls_waiting_together"),
    ("401 renews", T, "send.rs", "tokens.iter().for_each(Current::invalidate);", "let _ = &tokens;",
     "tokens::a_401_renews_the_token_and_sends_the_call_once_more"),
    ("one resend", T, "send.rs", "let resend_on_401 = replayable && !renewed && !tokens.is_empty();",
     "let resend_on_401 = replayable && !tokens.is_empty();",
     "tokens::a_second_401_is_returned_as_the_apis_answer"),
    ("expires_in", T, "oauth2.rs", "Some(seconds) => Ok(token.expires_in(Duration::from_secs(seconds))),", "Some(_) => Ok(token),",
     "oauth2::an_expired_token_is_fetched_again_once"),
]


def read(path):
    with open(path) as file:
        return file.read()


def write(path, text):
    with open(path, "w") as file:
        file.write(text)


def run_tests(tests):
    """Runs exactly these e2e tests; returns (failed test names, compiled, output)."""
    command = ["cargo", "test", "-q", "-p", "clientgen-tests", "--test", "e2e", "--", "--exact", *tests]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired as hung:
        # A test that hangs under a mutation did not catch it: it must fail, not wait.
        output = f"TIMED OUT after {hung.timeout} s"
        return set(), True, 0, output
    output = result.stdout + result.stderr
    failed = {line.split(" ---")[0].strip() for line in output.splitlines() if "--- FAILED" in line}
    compiled = "error[" not in output and "could not compile" not in output
    passed = sum(int(word) for line in output.splitlines() if line.startswith("test result:")
                 for word in [line.split()[3]] if word.isdigit())
    return failed, compiled, passed, output


def main(only):
    chosen = [m for m in MUTATIONS if not only or m[0] in only]
    unknown = set(only) - {m[0] for m in MUTATIONS}
    if unknown:
        sys.exit(f"no mutation named {', '.join(sorted(unknown))}")
    # Every pattern must be in both copies, exactly as in the template.
    for name, _, file, pattern, _, _ in chosen:
        for copy in (T, G):
            if pattern not in read(copy + file):
                sys.exit(f"{name}: pattern not found in {copy}{file} (the runtime changed: update the mutation)")

    tests = sorted({m[5] for m in chosen})
    failed, compiled, passed, output = run_tests(tests)
    if failed or not compiled or passed != len(tests):
        print(output[-4000:])
        sys.exit(f"baseline: the named tests must pass with no mutation ({passed} of {len(tests)} passed)")
    print(f"baseline: {passed} named tests pass", flush=True)

    missed = []
    for name, copy, file, pattern, replacement, test in chosen:
        path = copy + file
        source = read(path)
        started = time.monotonic()
        try:
            write(path, source.replace(pattern, replacement, 1))
            failed, compiled, _, _ = run_tests([test])
        finally:
            write(path, source)
        took = f"{time.monotonic() - started:.0f}s"
        if not compiled:
            verdict = "NOT CAUGHT (does not compile)"
        elif test in failed:
            verdict = "caught"
        else:
            verdict = "NOT CAUGHT"
        print(f"{name}: {verdict} by {test} ({took})", flush=True)
        if verdict != "caught":
            missed.append(name)
    print(f"{len(chosen) - len(missed)} passed, {len(missed)} failed", flush=True)
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    # A run ended from outside (CI's time limit, a closed terminal) still
    # restores the file it mutated: the signal becomes an exception, which
    # the `finally` around each mutation sees.
    for ending in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(ending, lambda number, _: sys.exit(128 + number))
    main(sys.argv[1:])
