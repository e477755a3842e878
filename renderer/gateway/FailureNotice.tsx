import type { Failure } from './gateway-lock';

/** Why main refused a change (`lead` says what was not done), and what to do; read out at once. */
export function FailureNotice({ lead, failure }: { lead: string; failure: Failure | null }) {
  if (failure === null) return null;
  return (
    <div className="answer-error" role="alert">
      <p>
        <strong>{lead}</strong> {failure.message}
      </p>
      {failure.hint && <p>{failure.hint}</p>}
    </div>
  );
}
