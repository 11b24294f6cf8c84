// A waiting prompt addressed to this user: one field per question, answered through
// POST /rest/prompt/<id>/respond. Later closes it; it comes back from the prompt list.
import { useState } from 'react';
import { Modal } from '../components/Dialogs.jsx';

export function questionsOf(prompt) {
  const list = prompt.response_types || prompt.questions || [];
  return list.length ? list : [{ prompt: '', options: { type: 'message' } }];
}

export default function PromptDialog({ prompt, onSubmit, onLater }) {
  const questions = questionsOf(prompt);
  const [answers, setAnswers] = useState(() => questions.map((q) => (q.options?.choices?.length ? '' : '')));
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState('');
  const set = (i, v) => setAnswers((a) => a.map((x, k) => (k === i ? v : x)));
  const complete = questions.every((q, i) => !q.options?.choices?.length || answers[i] !== '');
  const submit = async () => {
    setBusy(true);
    setErr('');
    try { await onSubmit(answers); } catch (e) { setErr(e.message || 'the answer was refused'); setBusy(false); }
  };
  return (
    <Modal title={`Prompt: ${prompt.name}`} testid="prompt-dialog" onClose={onLater}>
      <p className="prompt-message" data-testid="prompt-message">{prompt.message}</p>
      {questions.map((q, i) => {
        const choices = q.options?.choices || [];
        return (
          <div className="pf" key={i}>
            {q.prompt ? <span className="pf-label">{q.prompt}</span> : null}
            {choices.length ? (
              <div className="btn-row" role="radiogroup" data-testid={`prompt-response-${i}`}>
                {choices.map((c) => (
                  <button type="button" key={c} className={answers[i] === c ? 'primary' : ''} aria-pressed={answers[i] === c}
                    data-testid={`prompt-choice-${i}-${c}`} onClick={() => set(i, c)}>{c}</button>
                ))}
              </div>
            ) : (
              <textarea rows={2} data-testid={`prompt-response-${i}`} value={answers[i]} onChange={(e) => set(i, e.target.value)} />
            )}
          </div>
        );
      })}
      {err && <div className="banner err" data-testid="prompt-error">{err}</div>}
      <div className="btn-row">
        <button type="button" className="primary" data-testid="prompt-submit" disabled={!complete || busy} onClick={submit}>{busy ? 'Sending…' : 'Answer'}</button>
        <button type="button" data-testid="prompt-later" onClick={onLater}>Later</button>
      </div>
    </Modal>
  );
}

/** The prompt of a run this user may answer now (the server's may_answer), if any. */
export function answerable(prompts, state) {
  return prompts.filter((p) => p.status === 'waiting' && p.may_answer && state.prompts[p.id]?.status !== 'answered' && state.prompts[p.id]?.status !== 'expired');
}

/** Shows the first answerable prompt; "Later" hides it until the reopen button is used. */
export function PromptGate({ view, runApi }) {
  const [dismissed, setDismissed] = useState(() => new Set());
  const open = answerable(view.prompts, view.state);
  const current = open.find((p) => !dismissed.has(p.id));
  return (
    <>
      {open.length > 0 && !current ? (
        <button type="button" className="prompt-reopen" data-testid="prompt-reopen" onClick={() => setDismissed(new Set())}>
          {open.length} prompt{open.length === 1 ? '' : 's'} waiting for you
        </button>
      ) : null}
      {current ? (
        <PromptDialog key={current.id} prompt={current}
          onSubmit={async (answers) => { await runApi.respond(current.id, answers); await view.refreshPrompts(); }}
          onLater={() => setDismissed((d) => new Set([...d, current.id]))} />
      ) : null}
    </>
  );
}
