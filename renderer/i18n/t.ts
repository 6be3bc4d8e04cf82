import type { Params } from '../../common/i18n/fillEntry.ts';
import { language } from './language.ts';
import { translate } from './translate.ts';
import type { MessageKey } from './translate.ts';

/**
 * The string `key` in the current UI language. Reading it inside a component subscribes the
 * component to language changes.
 */
export function t(key: MessageKey, params?: Params): string {
  return translate(language.value, key, params);
}
