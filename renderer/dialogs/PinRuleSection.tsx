import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Conversation } from '../../common/protocol/model.ts';
import { setPinRule } from '../actions/pins.ts';
import { t } from '../i18n/t.ts';

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
  const [saving, setSaving] = useState(false);
  const choose = async (next: 'members' | 'owners') => {
    if (next === rule || saving) return;
    setSaving(true);
    await setPinRule(conversation.id, next);
    setSaving(false);
  };
  return (
    <section class="settings-section" data-pin-rule="">
      <fieldset class="field" disabled={!mayChange || saving}>
        <legend class="field-label">{t('pins.rule')}</legend>
        {(['members', 'owners'] as const).map((value) => (
          <label class="radio" key={value}>
            <input
              type="radio"
              name={`pin-rule-${conversation.id}`}
              value={value}
              checked={rule === value}
              onChange={() => void choose(value)}
            />
            {t(value === 'members' ? 'pins.ruleMembers' : 'pins.ruleOwners')}
          </label>
        ))}
      </fieldset>
    </section>
  );
}
