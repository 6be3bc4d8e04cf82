import { signal } from '@preact/signals';
import type { SlashCommand } from '../../common/protocol/model.ts';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { backend } from '../backend/currentBackend.ts';
import { t } from '../i18n/t.ts';
import { errorDetails, errorText } from './errorText.ts';

/** What this page knows of one message's buttons: the click on its way, counted clicks, answers. */
export interface ButtonsState {
  /** The action whose click is waiting for the bot. */
  pending: string | null;
  /** Actions clicked and counted in this session (their buttons stay disabled). */
  clicked: readonly string[];
  /** The bot's answer for this person only. */
  ephemeral: string | null;
  /** Why the last click did not work, in the UI language. */
  error: string | null;
}

const idle: ButtonsState = { pending: null, clicked: [], ephemeral: null, error: null };

/**
 * Per message (`conversationId:seq`), kept outside the rows: the list unmounts rows scrolled away,
 * and an answer or a disabled button must still be there when the row comes back.
 */
export const buttonStates = signal<Record<string, ButtonsState>>({});

/** The key of a message in {@link buttonStates}. */
export function buttonsKey(conversationId: number, seq: number): string {
  return `${conversationId}:${seq}`;
}

function change(key: string, next: Partial<ButtonsState>): void {
  const current = buttonStates.value[key] ?? idle;
  buttonStates.value = { ...buttonStates.value, [key]: { ...current, ...next } };
}

/** The person-facing reason a click or a command failed (the bot's own words for a refusal). */
export function botErrorText(error: unknown): string {
  const { code, message } = errorDetails(error);
  if (code === 'refused') return t('bots.refused', { reason: neutraliseBidi(message) });
  if (code === 'already_clicked') return t('bots.alreadyClicked');
  if (code === 'bot_unavailable') return t('bots.unavailable');
  return errorText(error);
}

/**
 * Clicks a button: pending until the bot answers; an update arrives as message.updated by itself,
 * an answer for this person is kept under the message, a refusal or failure is said there. A
 * counted click (or one the hub says was counted before) disables the button for this session.
 */
export async function clickAction(
  conversationId: number,
  seq: number,
  actionId: string,
  multi: boolean,
): Promise<void> {
  const key = buttonsKey(conversationId, seq);
  const state = buttonStates.value[key] ?? idle;
  if (state.pending !== null) return;
  change(key, { pending: actionId, error: null });
  const counted = multi ? state.clicked : [...state.clicked.filter((id) => id !== actionId), actionId];
  try {
    const outcome = await backend().messageAction(conversationId, seq, actionId);
    change(key, {
      pending: null,
      clicked: counted,
      ephemeral: outcome.outcome === 'ephemeral' ? outcome.text : (buttonStates.value[key]?.ephemeral ?? null),
    });
  } catch (error) {
    const already = errorDetails(error).code === 'already_clicked';
    change(key, { pending: null, error: botErrorText(error), ...(already ? { clicked: counted } : {}) });
  }
}

/** Hides the answer or the error under a message. */
export function dismissButtonNote(conversationId: number, seq: number): void {
  change(buttonsKey(conversationId, seq), { ephemeral: null, error: null });
}

/** The registered slash commands, once fetched (null: not yet, or the hub has none for this page). */
export const slashCommands = signal<SlashCommand[] | null>(null);
let fetching: Promise<void> | null = null;
let asked = false;

/** Whether the command list was asked for and answered (or failed) at least once on this page. */
export function slashCommandsAsked(): boolean {
  return asked;
}

/** Fetches the command list once per page (again after a failure). */
export function loadSlashCommands(): Promise<void> {
  fetching ??= backend()
    .commandsList()
    .then((list) => {
      slashCommands.value = list;
    })
    .catch(() => {
      fetching = null;
    })
    .finally(() => {
      asked = true;
    });
  return fetching;
}

/** A command's answer for the caller only, or why it failed: a local note in the conversation. */
export interface CommandNote {
  id: number;
  command: string;
  text: string;
  tone: 'answer' | 'error' | 'pending';
}

/** Per conversation, the command answers shown to this person only (until dismissed or reload). */
export const commandNotes = signal<Record<number, readonly CommandNote[]>>({});
let nextNote = 1;

function setNote(conversationId: number, note: CommandNote): void {
  const list = (commandNotes.value[conversationId] ?? []).filter((n) => n.id !== note.id);
  commandNotes.value = { ...commandNotes.value, [conversationId]: [...list, note].slice(-5) };
}

/** Removes one command note. */
export function dismissCommandNote(conversationId: number, id: number): void {
  const list = (commandNotes.value[conversationId] ?? []).filter((n) => n.id !== id);
  commandNotes.value = { ...commandNotes.value, [conversationId]: list };
}

/**
 * The registered command a composer text starts with (`/остаток 12345` → the command and
 * `12345`), or null: text that names no registered command is sent as an ordinary message.
 */
export function matchCommand(text: string): { command: SlashCommand; args: string } | null {
  const m = /^\s*(\/[\p{L}\p{N}_-]{1,32})(?:\s+([\s\S]*))?$/u.exec(text);
  if (!m) return null;
  const name = m[1]!.toLowerCase();
  const command = slashCommands.value?.find((c) => c.name.toLowerCase() === name);
  return command ? { command, args: (m[2] ?? '').trim() } : null;
}

/**
 * Runs a command: a note says it is on its way, then shows the caller-only answer or the error. An
 * answer posted to the conversation arrives as the bot's message; the note then goes away.
 */
export async function runSlashCommand(conversationId: number, command: string, args: string): Promise<void> {
  const note: CommandNote = { id: nextNote++, command, text: '', tone: 'pending' };
  const shown = `${command}${args ? ` ${args}` : ''}`;
  setNote(conversationId, { ...note, text: shown });
  try {
    const answer = await backend().runCommand(conversationId, command, args);
    if (answer.visibility === 'caller') setNote(conversationId, { ...note, tone: 'answer', text: answer.text });
    else dismissCommandNote(conversationId, note.id);
  } catch (error) {
    setNote(conversationId, {
      ...note,
      tone: 'error',
      text: t('bots.commandFailed', { command, reason: botErrorText(error) }),
    });
  }
}
