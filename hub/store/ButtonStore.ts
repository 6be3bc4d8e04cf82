import type { SlashCommand } from '../../common/protocol/model.ts';

/** What a counted click came to, kept so a retried click is answered the same (issue 18). */
export type ClickOutcome = { outcome: 'updated' | 'done' } | { outcome: 'ephemeral'; text: string };

/** A click as the operations ask the store to count it. */
export interface ClickRequest {
  seq: number;
  actionId: string;
  userId: number;
  clientId: string;
  /** The action allows this person more than one click. */
  multi: boolean;
  ts: number;
}

/** What the store made of a click. */
export type ClickClaim =
  /** Counted now: call the bot, then record its outcome or release the click. */
  | { kind: 'claimed'; clickId: number }
  /** This clientId was counted before: its outcome (null while the first call is still running). */
  | { kind: 'repeat'; outcome: ClickOutcome | null }
  /** The person already has a counted click on this one-click action. */
  | { kind: 'already_clicked' };

/** Buttons' clicks and the slash commands IT registered (issue 18). Every method is atomic. */
export interface ButtonStore {
  /**
   * Counts a click unless its clientId was counted before (`repeat`) or, for a one-click action,
   * the person has another counted click on it (`already_clicked`) — checked and inserted in one
   * transaction, so two concurrent clicks count once.
   */
  claimClick(request: ClickRequest): Promise<ClickClaim>;
  /**
   * A click this person counted before under this clientId: its outcome (null while its first
   * call is still running), or undefined when there is none — so a retry is answered even after
   * the bot's update took the button away.
   */
  findClick(userId: number, clientId: string): Promise<ClickOutcome | null | undefined>;
  /** Keeps the bot's outcome of a counted click. */
  recordOutcome(clickId: number, outcome: ClickOutcome): Promise<void>;
  /** Uncounts a click (the bot refused or did not answer): the person may click again. */
  releaseClick(clickId: number): Promise<void>;
  /** Registers a command (name lower-case, with its slash); false if the name is taken. */
  addCommand(command: SlashCommand, ts: number): Promise<boolean>;
  /** Removes a command; false if there was none. */
  removeCommand(name: string): Promise<boolean>;
  /** Every command, by name. */
  listCommands(): Promise<SlashCommand[]>;
  findCommand(name: string): Promise<SlashCommand | undefined>;
}
