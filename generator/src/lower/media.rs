//! Media types: which one a client picks among those offered, and how a body
//! in it is written or read.

use indexmap::IndexMap;
use openapiv3::MediaType;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Json,
    Form,
    Multipart,
    Text,
    /// `text/event-stream`: server-sent events.
    EventStream,
    Binary,
}

pub fn media_kind(media: &str) -> MediaKind {
    let essence = media.split(';').next().unwrap_or(media).trim().to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") || essence == "*/*" || essence == "application/*" {
        MediaKind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if essence.starts_with("multipart/") {
        MediaKind::Multipart
    } else if essence == "text/event-stream" {
        MediaKind::EventStream
    } else if essence.starts_with("text/") || essence.ends_with("xml") || essence == "application/javascript" {
        MediaKind::Text
    } else {
        MediaKind::Binary
    }
}

/// The media type a client uses: JSON when offered, else the first listed.
pub fn pick_media(content: &IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    let rank = |media: &str| match media_kind(media) {
        MediaKind::Json if media.starts_with("application/json") => 0,
        MediaKind::Json => 1,
        MediaKind::Form => 2,
        MediaKind::Multipart => 3,
        MediaKind::Text | MediaKind::EventStream => 4,
        MediaKind::Binary => 5,
    };
    content.iter().map(|(m, c)| (m.as_str(), c)).min_by_key(|(m, _)| rank(m))
}


/// Whether the body's schema is a binary string (`format: binary`): bytes,
/// whatever the media type says.
pub fn binary_schema(content: &MediaType) -> bool {
    use openapiv3::{ReferenceOr, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};
    matches!(&content.schema, Some(ReferenceOr::Item(schema))
        if matches!(&schema.schema_kind, SchemaKind::Type(Type::String(s))
            if matches!(&s.format, VariantOrUnknownOrEmpty::Item(StringFormat::Binary))))
}

/// Whether the body's schema is a plain string (no format): text, whatever
/// the media type says.
pub fn text_schema(content: &MediaType) -> bool {
    use openapiv3::{ReferenceOr, SchemaKind, Type, VariantOrUnknownOrEmpty};
    matches!(&content.schema, Some(ReferenceOr::Item(schema))
        if matches!(&schema.schema_kind, SchemaKind::Type(Type::String(s))
            if matches!(&s.format, VariantOrUnknownOrEmpty::Empty) && s.enumeration.is_empty()))
}
