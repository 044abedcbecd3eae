// Knowledge-base suggestions for what the agent is typing, and the article reader.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../shared/api";
import { showIssueAnswer } from "../../shared/issueCache";
import type { ArticleHit } from "../../shared/bindings";
import { Highlighted, Modal, StepQuestions, useDebounced } from "../../shared/widgets";

/**
 * The articles that match `text`. With an `issueId`, opening an article and the verdict on it
 * are recorded on that issue's timeline; without one (an issue still being typed) they are not.
 */
export function Suggestions({ text, issueId, onError }: { text: string; issueId?: string; onError: (m: string) => void }) {
  const settled = useDebounced(text.trim(), 150);
  const hits = useQuery({
    queryKey: ["suggest", settled],
    queryFn: () => api.suggestArticles(settled),
    enabled: settled.length > 2,
    placeholderData: (prev) => prev,
  });
  const [open, setOpen] = useState<ArticleHit | null>(null);
  const queryClient = useQueryClient();

  const openArticle = (hit: ArticleHit) => {
    setOpen(hit);
    if (issueId)
      api
        .recordArticleOpened(issueId, hit.id)
        .then((d) => showIssueAnswer(queryClient, d))
        .catch((e: Error) => onError(e.message));
  };

  return (
    <div className="card stack suggestions" data-testid="suggestions">
      <h2>Suggested articles</h2>
      {settled.length <= 2 ? (
        <span className="muted">Start typing the title: articles that usually solve it show up here.</span>
      ) : hits.isError ? (
        <span className="form-error">{hits.error.message}</span>
      ) : hits.data && hits.data.length === 0 ? (
        <span className="muted">No article matches yet. Add a word or two.</span>
      ) : (
        <ul className="hits">
          {(hits.data ?? []).map((hit) => (
            <li key={hit.id}>
              <button className="hit" onClick={() => openArticle(hit)}>
                <span className="hit-title">
                  <Highlighted text={hit.title} />
                </span>
                <span className="hit-section">{hit.section}</span>
                <span className="hit-snippet">
                  <Highlighted text={hit.snippet} />
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {open && <ArticleReader hit={open} issueId={issueId} onClose={() => setOpen(null)} onError={onError} />}
    </div>
  );
}

function ArticleReader({ hit, issueId, onClose, onError }: { hit: ArticleHit; issueId?: string; onClose: () => void; onError: (m: string) => void }) {
  const article = useQuery({ queryKey: ["article", hit.id], queryFn: () => api.getArticle(hit.id) });
  const queryClient = useQueryClient();
  const verdict = async (helped: boolean) => {
    if (!issueId) return;
    try {
      const d = await api.recordArticleVerdict(issueId, hit.id, helped);
      await showIssueAnswer(queryClient, d);
      await queryClient.invalidateQueries({ queryKey: ["issues"] });
      onClose();
    } catch (e) {
      onError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <Modal className="reader" labelledBy="reader-title" onClose={onClose}>
        <span className="faint">{article.data?.section ?? hit.section}</span>
        <h2 id="reader-title">{article.data?.title ?? ""}</h2>
        {article.isError && <span className="form-error">{article.error.message}</span>}
        {/* The core sanitised this HTML before storing it (narrow allowlist, https/mailto links). */}
        {article.data && <div className="article-body" dangerouslySetInnerHTML={{ __html: article.data.body_html }} />}
        <div className="form-foot">
          {issueId ? (
            <>
              <button className="btn primary" onClick={() => void verdict(true)}>
                This solved it
              </button>
              <button className="btn" onClick={() => void verdict(false)}>
                Didn't help
              </button>
            </>
          ) : (
            <span className="muted">Log the issue to record what you tried.</span>
          )}
          <div style={{ flex: 1 }} />
          {article.data?.source_url && (
            <button className="btn ghost" onClick={() => api.openExternal(article.data.source_url).catch((e: Error) => onError(e.message))}>
              Open original
            </button>
          )}
          <button className="btn ghost" onClick={onClose}>
            Close <span className="kbd">Esc</span>
          </button>
        </div>
    </Modal>
  );
}

/** The checklist for the chosen category, before the issue is logged. */
export function PlaybookPreview({ category }: { category: string }) {
  const playbook = useQuery({ queryKey: ["playbook", category], queryFn: () => api.getPlaybook(category), enabled: !!category });
  if (!playbook.data) return null;
  return (
    <div className="card stack" data-testid="playbook-preview">
      <h2>Playbook · {playbook.data.title}</h2>
      <ol className="steps">
        {playbook.data.steps.map((step) => (
          <li key={step.id}>
            <div className="step-text">{step.text}</div>
            <StepQuestions questions={step.questions} />
          </li>
        ))}
      </ol>
      <span className="faint">Tick the steps off on the issue page once it is logged.</span>
    </div>
  );
}
