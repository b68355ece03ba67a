//! Lowering rules for security schemes: setters, client credentials, token refresh, schemes no request can use.

use expect_test::expect;

use super::tests::lower_with_warnings;

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
