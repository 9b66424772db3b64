// The submit / busy / error cycle every form and action button shares.
import { createSignal } from 'solid-js';
import { errorText } from './graphql.ts';
import { describeError, isTypedError, splitError, type FieldMessages, type TypedError } from './errors.ts';

/** What a form shows for a typed error: messages under its fields, and a line for the rest. */
export interface ErrorSplit {
  fields: FieldMessages;
  general?: string;
}

type Answer = { __typename: string };
type Failure<R> = Extract<R, { message: string }>;
type Success<R> = Exclude<R, { message: string }>;

export interface SubmitOptions<R extends Answer> {
  /** Changes how a typed error is shown (a connection error under the URI field, say). */
  adjust?: (error: Failure<R>, split: ErrorSplit) => ErrorSplit;
  /** Words for a thrown error, when errorText's are not the right ones (a cancelled upload). */
  thrown?: (error: unknown) => string;
  /** Put before the general line: the row the action was about ("alice: …"). */
  prefix?: string;
}

/**
 * A form's request: `submit(run, ok)` runs `run` unless one is already running, shows a typed
 * error (the union members with a message) under the fields named in `fields` and the rest on
 * the form's line, and any thrown error on that line; `ok` gets the success member.
 * Without `fields` a typed error is one sentence (describeError) on the line.
 * `submit` resolves true when the request succeeded.
 */
export function createSubmit(fields?: string[], initialError?: string) {
  const [errors, setErrors] = createSignal<FieldMessages>({});
  const [error, setError] = createSignal<string | undefined>(initialError);
  const [busy, setBusy] = createSignal(false);

  const show = (split: ErrorSplit, prefix?: string) => {
    setErrors(split.fields);
    setError(split.general === undefined || prefix === undefined ? split.general : `${prefix}: ${split.general}`);
  };

  const submit = async <R extends Answer>(run: () => Promise<R>, ok: (result: Success<R>) => unknown, options: SubmitOptions<R> = {}): Promise<boolean> => {
    if (busy()) return false;
    setBusy(true);
    setErrors({});
    setError(undefined);
    try {
      const result = await run();
      if (isTypedError(result)) {
        const failure = result as Failure<R>;
        const typed = failure as unknown as TypedError;
        const split: ErrorSplit = fields ? splitError(typed, fields) : { fields: {}, general: describeError(typed) };
        show(options.adjust ? options.adjust(failure, split) : split, options.prefix);
        return false;
      }
      await ok(result as Success<R>);
      return true;
    } catch (e) {
      show({ fields: {}, general: options.thrown ? options.thrown(e) : errorText(e) });
      return false;
    } finally {
      setBusy(false);
    }
  };

  /** Shows what the form found wrong itself, before asking the server. */
  const invalid = (messages: FieldMessages) => show({ fields: messages });

  return { busy, errors, error, setError, submit, invalid };
}

export type Submit = ReturnType<typeof createSubmit>;
