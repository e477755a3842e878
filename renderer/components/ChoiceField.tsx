import { useId } from 'react';

export interface Choice<T extends string> {
  value: T;
  label: string;
}

/** A labelled card with one drop-down, for settings that are a choice among a few values. */
export function ChoiceField<T extends string>(props: {
  legend: string;
  label: string;
  name: string;
  value: T;
  choices: readonly Choice<T>[];
  onChange: (value: T) => void;
}) {
  const id = useId();
  return (
    <fieldset className="card">
      <legend>{props.legend}</legend>
      <label htmlFor={id}>{props.label}</label>
      <select id={id} name={props.name} value={props.value} onChange={(event) => props.onChange(event.target.value as T)}>
        {props.choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </fieldset>
  );
}
