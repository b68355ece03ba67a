//! An application crate that generates its API client at build time: see
//! `build.rs` (clientgen's `Builder`) and the spec under `spec/`, an OpenAPI
//! 3.1 document split across files.

// Defines `mod petstore`: the client, its `types`, and its runtime.
include!(concat!(env!("OUT_DIR"), "/petstore.rs"));

use petstore::types::Pet;

/// The names of the pets the store lists, as the application uses them.
pub async fn pet_names(client: &petstore::Client) -> Result<Vec<String>, petstore::Error<()>> {
    let pets: Vec<Pet> = client.pets().list_pets().limit(50).send().await?.into_inner();
    Ok(pets.into_iter().map(|pet| pet.name).collect())
}
