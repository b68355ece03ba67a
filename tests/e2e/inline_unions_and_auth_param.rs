//! A discriminator over inline variants picks each variant by the value it
//! fixes for the discriminator property (a one-value `enum` in 3.0, `const` in
//! 3.1, or the mapping naming the variant's location).

use clientgen_tests::openapi31::types::Shape;
use clientgen_tests::unions::types::PaymentEvent;
use serde_json::{Value, json};

/// Decodes `value`, checks the variant with `expected`, and writes it back unchanged.
fn round_trip<T>(value: Value, expected: impl Fn(&T) -> bool)
where
    T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug,
{
    let decoded: T = serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value} does not decode: {e}"));
    assert!(expected(&decoded), "{value} decoded as {decoded:?}");
    assert_eq!(serde_json::to_value(&decoded).unwrap(), value, "written back as received");
}

#[test]
fn each_inline_variant_is_chosen_by_the_one_value_its_discriminator_property_allows() {
    round_trip(json!({"type": "payment.captured", "paymentId": "p1", "amount": 1200}), |event| {
        matches!(event, PaymentEvent::PaymentCaptured(captured) if captured.amount == 1200)
    });
    round_trip(json!({"type": "payment.refused", "paymentId": "p1", "reason": "insufficient funds"}), |event| {
        matches!(event, PaymentEvent::PaymentRefused(refused) if refused.reason == "insufficient funds")
    });
    // Chosen by the mapping, which names the variant by its location.
    round_trip(json!({"type": "payment.disputed", "paymentId": "p1", "dueBy": "2025-03-01"}), |event| {
        matches!(event, PaymentEvent::PaymentDisputed(disputed) if disputed.due_by.is_some())
    });
    // A value no variant fixes is kept as received.
    round_trip(json!({"type": "payment.settled", "paymentId": "p1"}), |event| matches!(event, PaymentEvent::Unknown(_)));
    // The value picks the variant, so a body that does not fit it is an error, not another variant.
    let wrong = serde_json::from_value::<PaymentEvent>(json!({"type": "payment.refused", "paymentId": "p1"}));
    assert!(wrong.unwrap_err().to_string().contains("missing field `reason`"));
}

#[test]
fn each_inline_variant_is_chosen_by_the_const_of_its_discriminator_property() {
    round_trip(json!({"kind": "circle", "radius": 1.5}), |shape| {
        matches!(shape, Shape::Circle(circle) if circle.radius == 1.5)
    });
    round_trip(json!({"kind": "rectangle", "width": 2.0, "height": 3.0}), |shape| {
        matches!(shape, Shape::Rectangle(rectangle) if rectangle.width == 2.0 && rectangle.height == 3.0)
    });
    round_trip(json!({"kind": "triangle", "base": 1.0}), |shape| matches!(shape, Shape::Unknown(_)));
}
