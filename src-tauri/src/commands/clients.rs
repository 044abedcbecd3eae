use frontline_core::model::{Client, NewClient};
use frontline_core::Failure;
use tauri::State;

use super::{delegate, AppState};

#[tauri::command]
pub async fn list_clients(state: State<'_, AppState>) -> Result<Vec<Client>, Failure> {
    delegate(&state, "list_clients", move |core| core.clients()).await
}

#[tauri::command]
pub async fn create_client(state: State<'_, AppState>, new: NewClient) -> Result<Client, Failure> {
    delegate(&state, "create_client", move |core| core.create_client(new)).await
}
