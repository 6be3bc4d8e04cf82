import { backend } from '../backend/currentBackend.ts';

/**
 * Runs an admin command on the hub through the backend's `admin` (the hub checks that the caller
 * is a full-scope administrator and that the console may run the command) and returns its result.
 */
export async function adminCall<T>(command: string, args: Record<string, unknown> = {}): Promise<T> {
  return (await backend().admin(command, args)) as T;
}
