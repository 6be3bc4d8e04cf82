import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Conversation } from '../../common/protocol/model.ts';
import { setPinRule } from '../actions/pins.ts';
import { t } from '../i18n/t.ts';

type PinRule = NonNullable<Conversation['pinRule']>;

/**
 * Room settings: «Кто может закреплять сообщения» — all members (the default) or only the owner
 * (administrators always may). The owner and administrators change it (saved at once); the
 * others see it.
 */
export function PinRuleSection({
  conversation,
  mayChange,
}: {
  conversation: Conversation;
  mayChange: boolean;
}): JSX.Element {
  const rule = conversation.pinRule ?? 'members';
  // The choice on its way: shown until the room comes back with it (or the hub refuses it).
  const [chosen, setChosen] = useState<PinRule | null>(null);
  useEffect(() => {
    if (chosen === rule) setChosen(null);
  }, [rule, chosen]);
  const shown = chosen ?? rule;
  const choose = async (next: PinRule) => {
    if (next === shown) return;
    setChosen(next);
    if (!(await setPinRule(conversation.id, next))) setChosen(null);
  };
  return (
    <section class="settings-section" data-pin-rule="">
      <fieldset class="field" disabled={!mayChange}>
        <legend class="field-label">{t('pins.rule')}</legend>
        {(['members', 'owners'] as const).map((value) => (
          <label class="radio" key={value}>
            <input
              type="radio"
              name={`pin-rule-${conversation.id}`}
              value={value}
              checked={shown === value}
              onChange={() => void choose(value)}
            />
            {t(value === 'members' ? 'pins.ruleMembers' : 'pins.ruleOwners')}
          </label>
        ))}
      </fieldset>
    </section>
  );
}
