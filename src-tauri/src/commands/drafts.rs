use frontline_core::model::{IssueDraft, SavedDraft};
use frontline_core::Failure;
use tauri::State;

use super::{delegate, AppState};

#[tauri::command]
pub async fn save_draft(
    state: State<'_, AppState>,
    draft: IssueDraft,
) -> Result<SavedDraft, Failure> {
    delegate(&state, "save_draft", move |core| core.save_draft(draft)).await
}

#[tauri::command]
pub async fn load_draft(state: State<'_, AppState>) -> Result<Option<SavedDraft>, Failure> {
    delegate(&state, "load_draft", move |core| core.draft()).await
}

#[tauri::command]
pub async fn discard_draft(state: State<'_, AppState>) -> Result<(), Failure> {
    delegate(&state, "discard_draft", move |core| core.discard_draft()).await
}
