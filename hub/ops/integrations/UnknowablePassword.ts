import type { Accounts } from '../Accounts.ts';
import { generatePassword } from '../passwords.ts';

/**
 * The password hash of accounts nobody signs in to with a password: bots, and people a directory
 * sync created without one (they get a password from IT with `user passwd`, or sign in through an
 * embed link). It is the hash of a long random password that is thrown away at once. One hash
 * serves every such account: hashing one per person would cost seconds each at the hub's scrypt
 * cost, and a sign-in attempt against it still costs the same as against anyone else's.
 */
export class UnknowablePassword {
  private hash: Promise<string> | undefined;

  constructor(private readonly accounts: Accounts) {}

  /** The hash (computed on first use). */
  get(): Promise<string> {
    if (!this.hash) {
      this.hash = this.accounts.hashNewPassword(generatePassword(40));
      // A busy hashing queue must not poison every later call.
      this.hash.catch(() => (this.hash = undefined));
    }
    return this.hash;
  }
}
