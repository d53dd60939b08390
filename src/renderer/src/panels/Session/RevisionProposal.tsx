// The revision a walk-through proposes for its runbook (ad hoc commands, skipped or edited steps,
// "the runbook should say" notes): the operator edits it, checks the diff or the preview, and
// saves it as a draft file beside the runbook.
import { useState } from 'react';
import Markdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import type { RevisionProposal as Proposal } from '../../../../shared/contract/runbooks';
import type { SessionDetail } from '../../../../shared/contract/walkthroughs-session';
import { lineDiff } from '../../../../shared/runbooks/review-status';
import { safeUrl } from '../Runbooks/RunbookViewer';
import { api, ApiError } from '../../transport';
import '../Runbooks/review.css';

function message(err: unknown): string {
  return err instanceof ApiError ? err.message : String(err);
}

type Tab = 'edit' | 'diff' | 'preview';

export default function RevisionProposal({ d }: { d: SessionDetail }) {
  const [proposal, setProposal] = useState<Proposal | null>(null);
  const [text, setText] = useState('');
  const [tab, setTab] = useState<Tab>('edit');
  const [saved, setSaved] = useState<{ path: string; file: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const drafts = d.events.filter((e) => e.type === 'revision');

  const propose = () => {
    setError(null);
    setSaved(null);
    api.invoke('runbooks:revision-propose', { sessionId: d.id }).then(
      (p) => {
        setProposal(p);
        setText(p.text);
        setTab('edit');
      },
      (err: unknown) => setError(message(err)),
    );
  };

  const save = () => {
    setBusy(true);
    setError(null);
    api
      .invoke('runbooks:revision-save', { sessionId: d.id, text })
      .then(
        (r) => {
          setSaved(r);
          setProposal(null);
        },
        (err: unknown) => setError(message(err)),
      )
      .finally(() => setBusy(false));
  };

  const c = proposal?.counts;
  return (
    <section className="revision" data-testid="revision">
      <div className="row">
        <h3>Revision of the runbook</h3>
        <span className="spacer" />
        {!proposal && <button onClick={propose}>Propose revision</button>}
      </div>
      {drafts.length > 0 && (
        <ul className="revision-drafts">
          {drafts.map((e) =>
            e.type === 'revision' ? (
              <li key={e.id} className="mono">
                Draft saved: {e.file}
              </li>
            ) : null,
          )}
        </ul>
      )}
      {saved && (
        <p className="ok" role="status" data-testid="revision-saved">
          Saved as a draft: <span className="mono">{saved.path}</span>. It is in the runbook library with
          status draft.
        </p>
      )}
      {proposal && c && (
        <>
          <p className="dim">
            From this session: {c.adHoc} ad hoc command(s), {c.skipped} skipped and {c.edited} edited step(s),{' '}
            {c.shouldSay} “the runbook should say” note(s).
            {proposal.targetFolder
              ? ` Saved as a new file in ${proposal.targetFolder}; the runbook itself is not changed.`
              : ' The bundled runbooks are read-only: add a runbook folder of your own to save it.'}
          </p>
          <div className="row revision-tabs" role="tablist">
            {(['edit', 'diff', 'preview'] as const).map((t) => (
              <button
                key={t}
                role="tab"
                aria-selected={tab === t}
                className={tab === t ? 'on' : 'ghost'}
                onClick={() => setTab(t)}
              >
                {t === 'edit' ? 'Edit' : t === 'diff' ? 'Diff' : 'Preview'}
              </button>
            ))}
          </div>
          {tab === 'edit' && (
            <textarea
              className="revision-text mono"
              aria-label="Revision draft"
              rows={16}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          )}
          {tab === 'diff' && (
            <pre className="rb-diff" data-testid="revision-diff">
              {lineDiff(proposal.original, text)
                .filter((l) => l.op !== 'same')
                .map((l, i) => (
                  <div key={i} className={`rb-diff-${l.op}`}>
                    {l.op === 'add' ? '+ ' : '- '}
                    {l.text}
                  </div>
                ))}
            </pre>
          )}
          {tab === 'preview' && (
            <article className="revision-preview rb-body">
              <Markdown remarkPlugins={[remarkGfm]} skipHtml urlTransform={safeUrl}>
                {text.replace(/^---\n[\s\S]*?\n---\n/, '')}
              </Markdown>
            </article>
          )}
          <div className="row">
            <button disabled={busy || !text.trim() || !proposal.targetFolder} onClick={save}>
              Save as draft
            </button>
            <button className="ghost" onClick={() => setProposal(null)}>
              Discard
            </button>
          </div>
        </>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
