// The message formatter (renderer/markdown): each construct of the Markdown subset, Slack's mrkdwn
// from webhooks, text that is not Markdown shown exactly as typed, 1C links and network paths,
// and the element tree it builds (rendered to HTML without a DOM by ./renderMessage.ts).
// Hostile input and the naughty-strings list: tests/renderer/markdownHostile.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { setLanguageSetting } from '../../renderer/i18n/language.ts';
import { markupFlavour } from '../../renderer/markdown/markupFlavour.ts';
import { renderMessage } from './renderMessage.ts';

const html = (text: string, flavour?: 'markdown' | 'slack') => renderMessage(text, flavour).html;

beforeAll(() => setLanguageSetting('ru'));

describe('Markdown subset', () => {
  it('makes bold, italic, strike and code', () => {
    expect(html('это **важно** и _срочно_, ~~не~~ `npm ci`')).toBe(
      'это <strong>важно</strong> и <em>срочно</em>, <s>не</s> <code class="md-code-inline">npm ci</code>',
    );
    expect(html('*курсив* тут')).toBe('<em>курсив</em> тут');
    expect(html('**жирный _и курсив_**')).toBe('<strong>жирный <em>и курсив</em></strong>');
    expect(html('``код с ` внутри``')).toBe('<code class="md-code-inline">код с ` внутри</code>');
  });

  it('keeps what is inside code as typed', () => {
    expect(html('`**не жирный** <b>`')).toBe('<code class="md-code-inline">**не жирный** &lt;b&gt;</code>');
  });

  it('makes fenced code blocks with the language and a copy button named in the UI language', () => {
    const r = renderMessage('Запрос:\n```sql\nSELECT *\n  FROM t -- _x_\n```\nготово');
    expect(r.html).toContain('<span class="md-code-lang">sql</span>');
    expect(r.html).toContain('<pre tabIndex="0"><code>SELECT *\n  FROM t -- _x_</code></pre>');
    expect(r.html).toContain('<button type="button" class="md-copy" title="Копировать">Копировать</button>');
    expect(r.html.startsWith('<div class="md-p">Запрос:</div><div class="md-code" dir="ltr">')).toBe(true);
    expect(r.html.endsWith('<div class="md-p">готово</div>')).toBe(true);
    // No closing fence: the code runs to the end.
    expect(html('```\na\nb')).toContain('<code>a\nb</code>');
    setLanguageSetting('en');
    expect(html('```\nx\n```')).toContain('title="Copy">Copy</button>');
    setLanguageSetting('ru');
  });

  it('makes quotes, bulleted and numbered lists (numbers as typed)', () => {
    expect(html('> цитата\n> вторая строка\nответ')).toBe(
      '<blockquote class="md-quote"><div class="md-p">цитата\nвторая строка</div></blockquote><div class="md-p">ответ</div>',
    );
    expect(html('Список:\n- раз\n- **два**\n* три')).toBe(
      '<div class="md-p">Список:</div><ul class="md-list"><li>раз</li><li><strong>два</strong></li><li>три</li></ul>',
    );
    expect(html('1. первый\n3. третий\n   продолжение')).toBe(
      '<ol class="md-list"><li value="1">первый</li><li value="3">третий\nпродолжение</li></ol>',
    );
    expect(html('> - в цитате\n> > вложенная')).toBe(
      '<blockquote class="md-quote"><ul class="md-list"><li>в цитате</li></ul><blockquote class="md-quote"><div class="md-p">вложенная</div></blockquote></blockquote>',
    );
  });

  it('makes [text](https://…) links with the real address as the hint', () => {
    const r = renderMessage('см. [регламент](https://portal.corp.ru/doc?id=5)');
    expect(r.html).toContain(
      '<a href="https://portal.corp.ru/doc?id=5" title="https://portal.corp.ru/doc?id=5" target="_blank" rel="noopener noreferrer"><bdi>регламент</bdi></a>',
    );
    expect(r.text).toBe('см. регламент');
    expect(html('[почта](mailto:it@corp.ru)')).toContain('href="mailto:it@corp.ru"');
    // Link words that are the same host: nothing added.
    expect(renderMessage('[portal.corp.ru](https://portal.corp.ru/x)').text).toBe('portal.corp.ru');
  });

  it('shows the real host when the link words name another address', () => {
    const r = renderMessage('[https://sberbank.ru](https://sberbank.ru.evil.example/login)');
    expect(r.html).toContain('class="link-lookalike"');
    expect(r.text).toBe('https://sberbank.ru (на самом деле ведёт на sberbank.ru.evil.example)');
    expect(renderMessage('[www.gosuslugi.ru/вход](http://10.0.0.9/)').text).toContain('ведёт на 10.0.0.9');
    expect(renderMessage('[it@corp.ru](mailto:evil@other.example)').text).toContain('ведёт на evil@other.example');
    // A host in mixed alphabets gets the same notice.
    expect(renderMessage('[Apple](https://\u0430pple.com/)').text).toContain('ведёт на xn--pple-43d.com');
  });

  it('keeps autolinks, mentions and their rules', () => {
    const r = renderMessage('@ivanov глянь https://a.ru/x_y_z и **https://b.ru/**', 'markdown', 'ivanov');
    expect(r.html).toContain('<span class="mention mention-me">@ivanov</span>');
    expect(r.hrefs).toEqual(['https://a.ru/x_y_z', 'https://b.ru/']);
    expect(r.html).toContain('<strong><a href="https://b.ru/"');
    expect(renderMessage('https://a.ru/_x_').hrefs).toEqual(['https://a.ru/_x_']);
    expect(renderMessage('mailto:it@corp.example?attach=/etc/passwd').hrefs).toEqual([]);
    expect(renderMessage('https://bank.example@evil.example/').hrefs).toEqual([]);
    expect(renderMessage('[вход](https://bank.example@evil.example/)').hrefs).toEqual([]);
  });
});

describe('text that is not Markdown', () => {
  const literal = [
    'snake_case_names и my_var_2',
    '2*3*4 = 24, a * b * c',
    'C:\\Users\\_temp\\ и C:\\_a\\_b\\',
    '«Приказ №5 *черновик»',
    'x_1 + y_2 = z_3; f(x) = x*y*z',
    ':-* *_* ^_^ o_O >_< ~_~ :*',
    '__init__ и __main__',
    '***',
    '** не жирный **',
    '_ и _',
    '~~ ~~',
    '2024. Итоги года',
    '>5 000 руб.',
    '-5 градусов',
    'цена 5$ * 3 = 15$',
    'файл ~/docs/~tmp~1.txt',
    '\\*не курсив*',
    'строка 1\n\n   с отступом\n\t\tи табами  ',
    '[текст без ссылки] и [x](не-ссылка)',
    '<b>жирный?</b> <script>alert(1)</script>',
  ];
  it.each(literal)('shows %j exactly as typed', (text) => {
    const r = renderMessage(text);
    expect(r.text).toBe(text);
    expect([...r.elements]).toEqual([]);
  });
});

describe('Slack mrkdwn and Mattermost Markdown from webhooks', () => {
  it('reads *bold*, _italic_, ~strike~ and ** / ~~ too', () => {
    expect(html('*Сборка упала* в _main_, ~ложная~ тревога', 'slack')).toBe(
      '<strong>Сборка упала</strong> в <em>main</em>, <s>ложная</s> тревога',
    );
    expect(html('**Mattermost** ~~old~~', 'slack')).toBe('<strong>Mattermost</strong> <s>old</s>');
  });

  it('makes <url|label> and <url> links, and leaves other angle brackets as text', () => {
    const r = renderMessage('<https://ci.corp.ru/build/42|Сборка 42> упала: <https://ci.corp.ru/log>', 'slack');
    expect(r.hrefs).toEqual(['https://ci.corp.ru/build/42', 'https://ci.corp.ru/log']);
    expect(r.text).toBe('Сборка 42 упала: https://ci.corp.ru/log');
    expect(renderMessage('<javascript:alert(1)|клик> <b>', 'slack').text).toBe('<javascript:alert(1)|клик> <b>');
    expect(renderMessage('<https://a.example|https://b.example>', 'slack').text).toContain('ведёт на a.example');
    // People's messages are Markdown: Slack's link syntax is text there.
    expect(renderMessage('<https://a.ru|a>').hrefs).toEqual([]);
    expect(renderMessage('<https://a.ru|a>').text).toBe('<https://a.ru|a>');
  });

  it('renders a Slack payload as the hub stores it, and a Mattermost one', () => {
    // hub/ops/integrations/slackMarkup.ts turns <url|label> into "label (url)" at ingest.
    const slack = renderMessage(
      '*Инцидент #12* открыт\n> Сервис _1С:УТ_ не отвечает\n• Ответственный: @petrov\n~Повторная проверка~ (https://mon.corp.ru/12)',
      'slack',
    );
    expect(slack.html).toContain('<strong>Инцидент #12</strong>');
    expect(slack.html).toContain(
      '<blockquote class="md-quote"><div class="md-p">Сервис <em>1С:УТ</em> не отвечает</div>',
    );
    expect(slack.html).toContain('<s>Повторная проверка</s>');
    expect(slack.hrefs).toEqual(['https://mon.corp.ru/12']);
    const mattermost = renderMessage(
      '#### Отчёт\n| a | b |\n**Готово**: [сборка](https://ci.corp.ru/7)\n```\nlog\n```',
      'slack',
    );
    expect(mattermost.html).toContain('<strong>Готово</strong>');
    expect(mattermost.hrefs).toEqual(['https://ci.corp.ru/7']);
    expect(mattermost.text).toContain('#### Отчёт\n| a | b |');
  });

  it("picks Slack for the hooks' bot accounts only", () => {
    expect(markupFlavour({ clientId: 'hook-1' }, { isBot: true, login: 'hook-3' })).toBe('slack');
    expect(markupFlavour({ clientId: 'x' }, { isBot: true, login: 'deploy-bot' })).toBe('markdown');
    expect(markupFlavour({ clientId: 'hook-1' }, { isBot: false, login: 'hook-3' })).toBe('markdown');
    expect(markupFlavour({ clientId: 'hook-1' }, undefined)).toBe('markdown');
  });
});

describe('links to 1C and network paths', () => {
  it('makes e1cib/ and e1c:// links that open 1C', () => {
    const bare = renderMessage('Открой e1cib/data/Документ.ЗаказКлиента?ref=80c2a1b2, пожалуйста');
    expect(bare.html).toContain(
      '<a class="link-1c" role="link" tabIndex="0" title="Открыть в 1С: e1cib/data/Документ.ЗаказКлиента?ref=80c2a1b2">e1cib/data/Документ.ЗаказКлиента?ref=80c2a1b2</a>, пожалуйста',
    );
    expect(bare.hrefs).toEqual([]);
    const full = renderMessage('e1c://server/base/#e1cib/list/Документ.Счет.');
    expect(full.hrefs).toEqual(['e1c://server/base/#e1cib/list/Документ.Счет']);
    expect(full.text).toBe('e1c://server/base/#e1cib/list/Документ.Счет.');
    const labelled = renderMessage('[Заказ 5](e1cib/data/Документ.ЗаказКлиента?ref=1)');
    expect(labelled.text).toBe('Заказ 5');
    expect(labelled.html).toContain('title="Открыть в 1С: e1cib/data/Документ.ЗаказКлиента?ref=1"');
    // Inside a web address it is part of that address.
    expect(renderMessage('https://x.ru/e1cib/a').hrefs).toEqual(['https://x.ru/e1cib/a']);
  });

  it('shows \\\\server\\share\\file as a path to copy, never a file: link', () => {
    const r = renderMessage('лежит в \\\\srv01\\Общие\\отчёт_2024.xlsx.');
    expect(r.html).toContain(
      '<span class="unc-path" role="button" tabIndex="0" title="Сетевой путь: нажмите, чтобы скопировать">\\\\srv01\\Общие\\отчёт_2024.xlsx</span>.',
    );
    expect(r.hrefs).toEqual([]);
    expect(r.attributes.has('href')).toBe(false);
    expect(renderMessage('file://srv01/share/x').hrefs).toEqual([]);
  });
});
