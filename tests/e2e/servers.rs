//! Server-variable helpers accept what their own docs show (Talon.One's
//! regional deployments) and still refuse any value that would take the
//! client to another host.

use api_clients::talon_one::{self, servers::your_talon_one_deployment};

fn refusal(value: &str) -> String {
    match your_talon_one_deployment(value) {
        Err(talon_one::Error::InvalidRequest(message)) => message,
        other => panic!("{value:?} should be refused, got {other:?}"),
    }
}

#[test]
fn a_subdomain_may_hold_several_labels_before_the_fixed_domain() {
    for (value, url) in [
        ("mycompany", "https://mycompany.talon.one"),
        ("mycompany.europe-west1", "https://mycompany.europe-west1.talon.one"),
        ("yourbaseurl", "https://yourbaseurl.talon.one"),
        ("a-1.b2.c3", "https://a-1.b2.c3.talon.one"),
    ] {
        assert_eq!(your_talon_one_deployment(value).unwrap(), url, "{value:?}");
    }
}

#[test]
fn values_that_would_leave_the_domain_are_still_refused() {
    let long_label = "a".repeat(64);
    let hostile = [
        "evil.com/",
        "a..b",
        "-a",
        "a-",
        "a.-b",
        ".a",
        "a.",
        "x.evil.com#",
        "x.evil.com?",
        "a@b",
        "",
        long_label.as_str(),
        "a.b:80",
        "a b",
        "a\\b",
        "évil",
    ];
    for value in hostile {
        let message = refusal(value);
        assert!(message.contains("`subdomain`"), "{value:?}: {message}");
        assert!(message.contains("host labels"), "{value:?}: {message}");
        assert!(message.contains(&format!("`{}`", value.escape_debug())), "{value:?}: {message}");
    }
    // A 63-character label is the longest a host name may have.
    let longest = "a".repeat(63);
    assert_eq!(your_talon_one_deployment(&format!("{longest}.b")).unwrap(), format!("https://{longest}.b.talon.one"));
}

#[test]
fn the_refusal_names_the_variable_and_escapes_the_value() {
    expect_test::expect![[r#"server variable `subdomain` must be host labels (letters, digits and `-`) separated by dots, not `a\nb.evil.com/`"#]]
        .assert_eq(&refusal("a\nb.evil.com/"));
}
