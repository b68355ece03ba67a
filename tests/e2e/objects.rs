//! The types' written-out serde impls read and write JSON as serde's derive
//! did. Structs: absent, `null` and a value of an optional nullable field stay
//! apart, unknown fields are skipped (or kept where the spec allows additional
//! properties), a missing or repeated field is an error naming it. Unions: the
//! first variant in the spec's order that the value decodes as, written back
//! as the variant alone.

use clientgen_tests::keywords::types::{Nothing, Reader};
use clientgen_tests::nested::types::Settings;
use clientgen_tests::nullable::types::Customer;
use clientgen_tests::unions::types::{Card, CardHolder, Payer, PaymentMethod, Reference, Wallet};
use serde_json::json;

#[test]
fn absent_null_and_a_value_stay_apart_both_ways() {
    let customer: Customer = serde_json::from_value(json!({
        "name": "Ada",
        "nickname": null,
        "middleName": null,
        "tier": "gold",
        "tags": ["a"],
    }))
    .unwrap();
    assert_eq!(customer.name, "Ada");
    // Required and nullable: `null` is `None`.
    assert_eq!(customer.nickname, None);
    // Optional and nullable: `null` is `Some(None)`, a value `Some(Some(_))`, absent `None`.
    assert_eq!(customer.middle_name, Some(None));
    assert_eq!(customer.tags, Some(Some(vec![String::from("a")])));
    assert_eq!(customer.credit_limit, None);
    // Optional: absent is `None`.
    assert_eq!(customer.newsletter, None);

    assert_eq!(
        serde_json::to_value(&customer).unwrap(),
        json!({"name": "Ada", "nickname": null, "middleName": null, "tier": "gold", "tags": ["a"]}),
        "None is left out, Some(None) is written as null, a required nullable field always written"
    );
}

#[test]
fn a_required_field_may_be_null_when_nullable_and_absent_when_optional_typed() {
    // `nickname` is required and nullable, so its Rust type is `Option<String>`:
    // as with serde's derive, an absent `Option` field reads as `None`.
    let customer: Customer = serde_json::from_value(json!({"name": "Ada", "tier": "gold"})).unwrap();
    assert_eq!(customer.nickname, None);
    // An optional field sent as `null` reads as `None` too.
    let customer: Customer =
        serde_json::from_value(json!({"name": "Ada", "tier": "gold", "newsletter": null})).unwrap();
    assert_eq!(customer.newsletter, None);
}

#[test]
fn missing_repeated_and_mistyped_fields_are_errors_that_name_them() {
    let missing = serde_json::from_str::<Customer>(r#"{"tier": "gold"}"#).unwrap_err().to_string();
    assert!(missing.starts_with("missing field `name`"), "{missing}");

    let repeated =
        serde_json::from_str::<Customer>(r#"{"name": "a", "tier": "gold", "name": "b"}"#).unwrap_err().to_string();
    assert!(repeated.starts_with("duplicate field `name`"), "{repeated}");

    let mistyped = serde_json::from_str::<Customer>(r#"{"name": 5, "tier": "gold"}"#).unwrap_err().to_string();
    assert!(mistyped.contains("expected a string"), "{mistyped}");

    let not_an_object = serde_json::from_str::<Customer>("[1, 2]").unwrap_err().to_string();
    assert!(not_an_object.contains("expected an object (Customer)"), "{not_an_object}");
}

#[test]
fn unknown_fields_are_skipped_however_deep() {
    let customer: Customer = serde_json::from_str(
        r#"{"name": "Ada", "added": {"later": [1, {"deep": null}]}, "tier": "gold", "more": "x"}"#,
    )
    .unwrap();
    assert_eq!((customer.name.as_str(), customer.tier.as_str()), ("Ada", "gold"));

    let nothing: Nothing = serde_json::from_str(r#"{"anything": [1, 2, 3]}"#).unwrap();
    assert_eq!(serde_json::to_string(&nothing).unwrap(), "{}");
}

#[test]
fn additional_properties_are_kept_and_written_back_after_the_fields() {
    let text = r#"{"locale": "pl-PL", "zeta": 2, "alpha": 1}"#;
    let settings: Settings = serde_json::from_str(text).unwrap();
    assert_eq!(settings.locale, "pl-PL");
    assert_eq!(settings.additional_properties.into_iter().collect::<Vec<_>>(), [
        (String::from("alpha"), 1),
        (String::from("zeta"), 2)
    ]);
    let settings: Settings = serde_json::from_str(text).unwrap();
    assert_eq!(serde_json::to_string(&settings).unwrap(), r#"{"locale":"pl-PL","alpha":1,"zeta":2}"#);

    let mistyped = serde_json::from_str::<Settings>(r#"{"locale": "pl-PL", "x": "one"}"#).unwrap_err().to_string();
    assert!(mistyped.contains("expected i64"), "{mistyped}");
}

#[test]
fn fields_named_like_the_impls_own_variables_round_trip() {
    let value = json!({
        "fields": ["a"], "key": "k", "key_": "k2", "map": 3,
        "serializer": "s", "deserializer": "d", "self": "me", "A": "upper",
    });
    let reader: Reader = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(reader.key2.as_deref(), Some("k2"));
    assert_eq!(reader.a.as_deref(), Some("upper"));
    assert_eq!(serde_json::to_value(&reader).unwrap(), value);
}

#[test]
fn escaped_field_names_are_matched_by_their_value() {
    // serde_json lends names without escapes and allocates the others; both match.
    let customer: Customer = serde_json::from_str(r#"{"n\u0061me": "Ada", "tier": "gold"}"#).unwrap();
    assert_eq!(customer.name, "Ada");
}

#[test]
fn an_untagged_union_is_the_first_variant_the_value_decodes_as() {
    assert_eq!(serde_json::from_str::<Reference>(r#""A-17""#).unwrap(), Reference::String("A-17".into()));
    assert_eq!(serde_json::from_str::<Reference>("17").unwrap(), Reference::Integer(17));
    let payer: Payer = serde_json::from_str(r#"{"name": "Ada"}"#).unwrap();
    assert_eq!(payer, Payer::CardHolder(CardHolder::new("Ada")));
    // Both variants would take an object with both fields; the spec lists Wallet first.
    let payer: Payer = serde_json::from_str(r#"{"provider": "x", "name": "Ada"}"#).unwrap();
    assert_eq!(payer, Payer::Wallet(Wallet::new("x")));

    let error = serde_json::from_str::<Payer>(r#"{"iban": "PL1"}"#).unwrap_err().to_string();
    assert!(error.contains("Payer"), "{error}");
    assert!(serde_json::from_str::<Reference>("true").is_err());
}

#[test]
fn unions_are_written_as_their_variant_alone() {
    assert_eq!(serde_json::to_string(&Reference::Integer(17)).unwrap(), "17");
    assert_eq!(serde_json::to_string(&Payer::Wallet(Wallet::new("x"))).unwrap(), r#"{"provider":"x"}"#);
    let card = PaymentMethod::Card(Card::new("card", "4242"));
    assert_eq!(serde_json::to_string(&card).unwrap(), r#"{"type":"card","number":"4242"}"#);
    let unknown = PaymentMethod::Unknown(json!({"type": "crypto", "coin": "x"}));
    assert_eq!(serde_json::to_value(&unknown).unwrap(), json!({"type": "crypto", "coin": "x"}));
    let read: PaymentMethod = serde_json::from_value(json!({"type": "crypto", "coin": "x"})).unwrap();
    assert_eq!(read, unknown);
}
