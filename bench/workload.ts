/** Words of ordinary office Russian: message text is built from them, so sizes and bytes are realistic. */
const words = (
  'добрый день коллеги отчёт готов прошу посмотреть счёт накладная отгрузка склад остатки договор ' +
  'поставщик оплата сегодня завтра вечером утром созвон совещание в 15:00 перенесли клиент заказ ' +
  'номер документ провести 1С база обновление релиз проверьте пожалуйста спасибо хорошо понял ' +
  'сделаю уточню у бухгалтерии менеджер филиал Тверь Москва Казань доставка маршрут водитель ' +
  'задержка цена скидка акт сверки НДС квартал план продажи выручка ок да нет можно нужно срочно'
).split(' ');

/** A tiny deterministic PRNG (mulberry32): runs are repeatable for a given seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A message length in characters from a chat-like distribution: mostly short lines, some
 * paragraphs, a few long pastes of a few KB.
 */
export function messageLength(random: () => number): number {
  const r = random();
  if (r < 0.7) return 20 + Math.floor(random() * 180);
  if (r < 0.92) return 200 + Math.floor(random() * 400);
  if (r < 0.99) return 600 + Math.floor(random() * 1400);
  return 2000 + Math.floor(random() * 2000);
}

/** Cyrillic text of about `length` characters. */
export function messageText(random: () => number, length: number): string {
  let text = '';
  while (text.length < length) {
    const w = words[Math.floor(random() * words.length)]!;
    text += text === '' ? w[0]!.toUpperCase() + w.slice(1) : ' ' + w;
  }
  return text.slice(0, length);
}

/** Share of messages per conversation kind (they sum to 1). */
export interface Mix {
  general: number;
  rooms: number;
  direct: number;
}

/** Parses `general=0.02,rooms=0.6,direct=0.38`. */
export function parseMix(text: string): Mix {
  const mix: Mix = { general: 0, rooms: 0, direct: 0 };
  for (const part of text.split(',')) {
    const [k, v] = part.split('=');
    if (k !== 'general' && k !== 'rooms' && k !== 'direct') throw new Error(`--mix: unknown kind "${k}"`);
    mix[k] = Number(v);
  }
  const sum = mix.general + mix.rooms + mix.direct;
  if (!(sum > 0)) throw new Error('--mix: shares must add up to more than 0');
  return { general: mix.general / sum, rooms: mix.rooms / sum, direct: mix.direct / sum };
}

/** Current wall-clock time in ms with sub-ms precision; comparable across processes on one machine. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * A client id that carries its send time, so any recipient in any generator process can compute
 * the delivery latency without a shared map: `b<gen>-<counter>-<µs since epoch>` in base 36.
 */
export function benchClientId(gen: number, counter: number, t0Ms: number): string {
  return `b${gen.toString(36)}-${counter.toString(36)}-${Math.round(t0Ms * 1000).toString(36)}`;
}

/** The send time embedded by {@link benchClientId}, or undefined for other ids. */
export function sendTimeOf(clientId: string): number | undefined {
  if (clientId.charCodeAt(0) !== 98 /* b */) return undefined;
  const dash = clientId.lastIndexOf('-');
  if (dash < 0) return undefined;
  const us = parseInt(clientId.slice(dash + 1), 36);
  return Number.isFinite(us) ? us / 1000 : undefined;
}
