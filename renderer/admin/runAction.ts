import { errorText } from '../actions/errorText.ts';
import { notify } from '../actions/notify.ts';
import { adminCall } from './adminCall.ts';

/**
 * Runs a changing admin command from a button: a toast says it was done (`done`, when given) or
 * why it failed; resolves to the result, or null when it failed.
 */
export async function runAction<T>(command: string, args: Record<string, unknown>, done?: string): Promise<T | null> {
  try {
    const result = await adminCall<T>(command, args);
    if (done) notify(done);
    return result;
  } catch (err) {
    notify(errorText(err), 'error');
    return null;
  }
}
