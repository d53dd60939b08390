// The small form next to a step that declares inputs: one field per input, with its type, pattern
// and where its value came from; a refused value says why under its field.
import type { StepInput } from '../../../../shared/runbooks/types';

export default function StepInputs({
  stepId,
  inputs,
  values,
  errors,
  onChange,
}: {
  stepId: string;
  inputs: StepInput[];
  values: Record<string, string>;
  errors: Record<string, string>;
  onChange: (name: string, value: string) => void;
}) {
  if (inputs.length === 0) return null;
  return (
    <div className="rb-inputs" data-testid={`inputs-${stepId}`}>
      {inputs.map((i) => {
        const id = `rb-in-${stepId}-${i.name}`;
        const hint = [
          i.type,
          i.pattern ? `/${i.pattern.source}/${i.pattern.flags}` : null,
          i.from ? `from ${i.from.step}.${i.from.output}` : null,
        ]
          .filter(Boolean)
          .join(' · ');
        return (
          <div className="rb-input" key={i.name}>
            <label htmlFor={id}>{i.label ?? i.name}</label>
            <input
              id={id}
              type="text"
              inputMode={i.type === 'integer' ? 'numeric' : undefined}
              spellCheck={false}
              autoComplete="off"
              value={values[i.name] ?? ''}
              placeholder={i.default ?? ''}
              aria-invalid={errors[i.name] ? true : undefined}
              aria-describedby={`${id}-hint`}
              onChange={(e) => onChange(i.name, e.target.value)}
            />
            <span id={`${id}-hint`} className={errors[i.name] ? 'rb-input-err' : 'rb-dim'}>
              {errors[i.name] ? `${i.label ?? i.name} ${errors[i.name]}` : hint}
            </span>
          </div>
        );
      })}
    </div>
  );
}
