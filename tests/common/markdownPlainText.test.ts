import { describe, expect, it } from 'vitest';
import { fileWords, messageText } from '../../common/client/messageText.ts';
import { markdownPlainText } from '../../common/text/markdownPlainText.ts';

describe('markdownPlainText', () => {
  it('takes out the marks of the Markdown subset and keeps the words', () => {
    expect(markdownPlainText('**жирный**')).toBe('жирный');
    expect(markdownPlainText('до **жирный** после')).toBe('до жирный после');
    expect(markdownPlainText('_курсив_ и *тоже*')).toBe('курсив и тоже');
    expect(markdownPlainText('~~старое~~ новое')).toBe('старое новое');
    expect(markdownPlainText('**_оба_**')).toBe('оба');
    expect(markdownPlainText('запусти `npm **test**`')).toBe('запусти npm **test**');
    expect(markdownPlainText('[накладная](https://1c.corp/doc/5) готова')).toBe('накладная готова');
    expect(markdownPlainText('[Заказ 5](e1cib/data/Документ.Заказ?ref=1)')).toBe('Заказ 5');
    expect(markdownPlainText('> цитата\n> > вложенная\n>> не цитата')).toBe('цитата\nвложенная\n>> не цитата');
    expect(markdownPlainText('- пункт\n* второй\n1. номер')).toBe('• пункт\n• второй\n1. номер');
  });

  it('drops the fence lines of a code block and keeps its lines as typed', () => {
    expect(markdownPlainText('смотри:\n```js\nconst a = **b**;\n```\nвот')).toBe('смотри:\nconst a = **b**;\nвот');
    expect(markdownPlainText('```\nне закрыт')).toBe('не закрыт');
  });

  it("reads Slack's mrkdwn links and marks", () => {
    expect(markdownPlainText('<https://grafana.corp/d/1|График> и <https://a.ru>')).toBe('График и https://a.ru');
    expect(markdownPlainText('*Диск* ~почти~ полон')).toBe('Диск почти полон');
  });

  it('leaves as typed what the formatter leaves as typed', () => {
    for (const text of [
      'snake_case и 2*3*4',
      'C:\\Users\\_temp\\ и \\*звёздочки\\*',
      '№5 *черновик',
      'a * b * c',
      '[ссылка](javascript:alert(1))',
      '<b>не тег</b>',
      '@ivan привет',
      '#склад',
      'просто текст',
    ])
      expect(markdownPlainText(text)).toBe(text);
  });

  it('stays fast on hostile input', () => {
    const hostile = [
      '*'.repeat(50_000),
      '_a'.repeat(30_000),
      '`'.repeat(20_000) + 'x',
      '['.repeat(20_000) + '](',
      '> '.repeat(30_000),
    ];
    for (const text of hostile) expect(typeof markdownPlainText(text)).toBe('string');
  });
});

describe('messageText previews', () => {
  const base = { text: '', mentions: [], mentionsAll: false };
  it('shows Markdown as plain text', () => {
    expect(messageText({ ...base, text: '**Срочно:** отгрузка [тут](https://1c.corp/x)' })).toBe(
      'Срочно: отгрузка тут',
    );
  });

  it('says a deleted message is deleted, in the UI language', () => {
    const deleted = { ...base, deleted: { by: 1, at: 1 } };
    expect(messageText(deleted)).toBe('Сообщение удалено');
    expect(messageText(deleted, fileWords.en)).toBe('Message deleted');
  });
});
