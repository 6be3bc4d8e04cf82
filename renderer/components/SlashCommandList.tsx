import type { JSX } from 'preact';
import type { SlashCommand } from '../../common/protocol/model.ts';
import { t } from '../i18n/t.ts';
import { UserText } from '../ui/UserText.tsx';
import '../styles/bots.css';

/** The id of a command's option (the message box's active descendant). */
export function commandOptionId(command: SlashCommand): string {
  return `command-${encodeURIComponent(command.name.slice(1))}`;
}

/**
 * The registered slash commands above the message box, as a listbox the box controls (the
 * focus stays in the box, like the @ list): each with its name, its usage and what it does.
 */
export function SlashCommandList(props: {
  matches: SlashCommand[];
  chosen: number;
  onChoose: (command: SlashCommand) => void;
}): JSX.Element {
  const { matches, chosen, onChoose } = props;
  return (
    <ul id="command-list" class="mention-list command-list" role="listbox" aria-label={t('bots.commands')}>
      {matches.map((c, i) => (
        <li
          key={c.name}
          id={commandOptionId(c)}
          role="option"
          aria-selected={i === chosen}
          class={i === chosen ? 'command-option active' : 'command-option'}
          onMouseDown={(e) => {
            e.preventDefault();
            onChoose(c);
          }}
        >
          <UserText class="command-name" text={c.name} />
          {c.usage && <UserText class="command-usage" text={c.usage} />}
          {c.description && <UserText class="command-description" text={c.description} />}
        </li>
      ))}
    </ul>
  );
}
