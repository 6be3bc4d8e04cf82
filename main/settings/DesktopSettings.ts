import * as v from 'valibot';
import type { SettingsStore } from './SettingsStore.ts';

/** When the taskbar button flashes for a message that arrives while the window is unfocused. */
export const FlashPolicySchema = v.picklist(['mentions', 'all', 'never']);
/** `mentions` (direct messages and mentions, the default), `all` messages, or `never`. */
export type FlashPolicy = v.InferOutput<typeof FlashPolicySchema>;

/** Which messages of a room raise a notification. */
export const RoomNotifyLevelSchema = v.picklist(['all', 'mentions', 'none']);
/** `all` messages, only `mentions`, or `none`. */
export type RoomNotifyLevel = v.InferOutput<typeof RoomNotifyLevelSchema>;

const Count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

/**
 * What the user had been told about when the app last quit or the machine went to sleep: each
 * conversation's newest seq, read marker and counts, for the user it belongs to. The next start
 * sums up only what came after it («Пока вас не было», main/away/AwayWatch.ts).
 */
export const AwayBaselineSchema = v.object({
  userId: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  conversations: v.record(
    v.pipe(v.string(), v.regex(/^[1-9][0-9]*$/)),
    v.object({ lastSeq: Count, readSeq: Count, unread: Count, mentions: Count }),
  ),
});

/** The desktop app's own settings, each with its schema and default. */
const schemas = {
  /** The hub the user last signed in to (the lowest-precedence source of the hub address). */
  hubUrl: { schema: v.nullable(v.string()), fallback: null as string | null },
  /** The user's choice; null = not chosen yet (the machine file's or the built-in default applies). */
  autostart: { schema: v.nullable(v.boolean()), fallback: null as boolean | null },
  updates: { schema: v.nullable(v.boolean()), fallback: null as boolean | null },
  flash: { schema: FlashPolicySchema, fallback: 'mentions' as FlashPolicy },
  /** Show message text in notifications (off: only who wrote where). */
  notificationPreview: { schema: v.boolean(), fallback: true },
  /**
   * Notify reactions to one's messages in direct conversations (off: they only show in the
   * window). Kept here, not on the hub: the hub's user settings hold only read receipts and the
   * web client has no such choice (it never notifies reactions).
   */
  reactionNotify: { schema: v.boolean(), fallback: false },
  /**
   * Per-conversation notification levels of older versions, keyed by conversation id: moved to the
   * hub (`conversations.notify`) once after signing in, then empty and ignored (migrateRoomLevels).
   */
  roomNotify: {
    schema: v.record(v.pipe(v.string(), v.regex(/^[1-9][0-9]*$/)), RoomNotifyLevelSchema),
    fallback: {} as Record<string, RoomNotifyLevel>,
  },
  /** Notifications are muted until this time (ms since epoch); null = not muted. */
  muteUntil: { schema: v.nullable(v.pipe(v.number(), v.safeInteger())), fallback: null as number | null },
  /** Minutes without input before the user is reported idle. */
  idleMinutes: { schema: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(240)), fallback: 10 },
  /** See {@link AwayBaselineSchema}; null: none kept (never signed in, or signed out). */
  awayBaseline: {
    schema: v.nullable(AwayBaselineSchema),
    fallback: null as v.InferOutput<typeof AwayBaselineSchema> | null,
  },
  /** The "still running in the tray" hint was shown once already. */
  closeHintShown: { schema: v.boolean(), fallback: false },
} as const;

/** The settings, typed. */
export type DesktopSettingValues = {
  -readonly [K in keyof typeof schemas]: v.InferOutput<(typeof schemas)[K]['schema']>;
};
/** One setting's name. */
export type DesktopSettingKey = keyof DesktopSettingValues;

/** The defaults of every setting. */
export function defaultSettings(): DesktopSettingValues {
  const out = {} as Record<string, unknown>;
  for (const [key, { fallback }] of Object.entries(schemas)) out[key] = structuredClone(fallback);
  return out as DesktopSettingValues;
}

/**
 * Typed, validated access to the desktop settings over a {@link SettingsStore}. A value that
 * fails its schema (hand-edited file, older version) reads as the default instead of crashing.
 */
export class DesktopSettings {
  private readonly listeners = new Set<(key: DesktopSettingKey) => void>();

  constructor(private readonly store: SettingsStore) {}

  /** The setting's value, or its default when unset or invalid. */
  get<K extends DesktopSettingKey>(key: K): DesktopSettingValues[K] {
    const entry = schemas[key];
    const raw = this.store.get(`settings.${key}`);
    if (raw === undefined) return structuredClone(entry.fallback) as DesktopSettingValues[K];
    const parsed = v.safeParse(entry.schema as v.GenericSchema, raw);
    return (parsed.success ? parsed.output : structuredClone(entry.fallback)) as DesktopSettingValues[K];
  }

  /** Stores a value (validated: a wrong value is a programming error and throws). */
  set<K extends DesktopSettingKey>(key: K, value: DesktopSettingValues[K]): void {
    v.parse(schemas[key].schema as v.GenericSchema, value);
    this.store.set(`settings.${key}`, value);
    for (const listener of this.listeners) listener(key);
  }

  /** Calls `listener` after every {@link DesktopSettings.set}. */
  onChange(listener: (key: DesktopSettingKey) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
