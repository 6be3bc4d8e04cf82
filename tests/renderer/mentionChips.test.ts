import { describe, expect, it } from 'vitest';
import type { User } from '../../common/protocol/model.ts';
import { applyStatePatch } from '../../renderer/state/clientState.ts';
import { previewText } from '../../renderer/text/previewText.ts';
import { user as sampleUser } from '../e2e/sampleState.ts';
import { renderMessage } from './renderMessage.ts';

const user = (id: number, login: string, name: string): User => sampleUser(id, name, 'online', { login });

describe('@login in messages', () => {
  it('shows a known person as a chip with their current name, the login in its hint', () => {
    applyStatePatch({ users: { 7: user(7, 'fedorova', 'Анна Фёдорова'), 8: user(8, 'ivan', 'Иван Петров') } });
    const r = renderMessage('@fedorova, глянь. @Ivan. @nobody @all', 'markdown', 'ivan');
    expect(r.text).toBe('@Анна Фёдорова, глянь. @Иван Петров. @nobody @all');
    expect(r.html).toContain(
      '<span class="mention mention-chip" title="@fedorova" data-login="fedorova"><bdi>@Анна Фёдорова</bdi></span>',
    );
    // The reader's own mention (any case) and @all are marked; an unknown login stays as written.
    expect(r.html).toContain('<span class="mention mention-me mention-chip" title="@ivan" data-login="ivan">');
    expect(r.html).toContain('<span class="mention">@nobody</span>');
    expect(r.html).toContain('<span class="mention mention-me">@all</span>');
  });

  it('follows a rename: old messages show the new name', () => {
    applyStatePatch({ users: { 7: user(7, 'fedorova', 'Анна Смирнова') } });
    expect(renderMessage('@fedorova').text).toBe('@Анна Смирнова');
  });

  it('reads @logins as names in one-line previews (reply quotes, pins, banners)', () => {
    applyStatePatch({ users: { 9: user(9, 'olga', 'Ольга Смирнова') } });
    const message = { kind: 'text', text: '@olga,  глянь\nсчёт. @olga. @nobody a@olga.ru', deleted: false } as never;
    expect(previewText(message)).toBe('@Ольга Смирнова, глянь счёт. @Ольга Смирнова. @nobody a@olga.ru');
  });
});
