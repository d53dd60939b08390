// The log pane's text form, one for both search and filter: a text box and a regex toggle, then
// the form's own controls (search: previous/next and the match count; filter: in/out and Apply).
import type { ReactElement, ReactNode } from 'react';

export interface TextQuery {
  text: string;
  regex: boolean;
}

export default function LogTextForm<Q extends TextQuery>(p: {
  /** `search` or `filter`: the form's class and what its text box is called. */
  kind: 'search' | 'filter';
  value: Q;
  onChange: (q: Q) => void;
  onSubmit: () => void;
  children?: ReactNode;
}): ReactElement {
  const { value, onChange } = p;
  return (
    <form
      className={p.kind}
      onSubmit={(e) => {
        e.preventDefault();
        p.onSubmit();
      }}
    >
      <input
        placeholder={p.kind}
        value={value.text}
        onChange={(e) => onChange({ ...value, text: e.target.value })}
        aria-label={p.kind === 'search' ? 'Search text' : 'Filter text'}
      />
      <label title="Regular expression">
        <input
          type="checkbox"
          checked={value.regex}
          onChange={(e) => onChange({ ...value, regex: e.target.checked })}
        />
        .*
      </label>
      {p.children}
    </form>
  );
}
