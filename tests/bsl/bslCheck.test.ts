// The BSL checker (scripts/bsl/, `npm run check:bsl`, run by `npm run lint`): every module under
// integrations/ parses with no problem; the first integration modules (tests/bsl/fixtures/old/,
// the files as they were before issue 17) are flagged for each defect the 1C review found; each
// kind of syntax error is caught at its line and column, and valid 1C that uses the whole
// language (English keywords, any case, queries with comment lines, Асинх, preprocessor,
// extension annotations, CRLF, a byte-order mark) parses clean.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JS script without declarations.
import { checkBslFiles, checkBslSources, findBslFiles } from '../../scripts/bsl/checkBsl.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const oldDir = path.join(root, 'tests/bsl/fixtures/old');

interface Problem {
  file: string;
  line: number;
  col: number;
  message: string;
  rule: string;
}

/** The problems of one module's text (named `file`), as "line:col rule". */
function problemsOf(text: string, file = 'Модуль.bsl', others: { file: string; text: string }[] = []): string[] {
  const { problems } = checkBslSources([{ file, text }, ...others]) as { problems: Problem[] };
  return problems.filter((p) => p.file === file).map((p) => `${p.line}:${p.col} ${p.rule}`);
}

/** Wraps statements into a procedure (the first line of the result is line 1). */
const inProc = (body: string) => `Процедура Тест()\n${body}\nКонецПроцедуры\n`;

describe('integrations/ parses with no problem', () => {
  it('every .bsl under integrations/ (the CI check)', () => {
    const files: string[] = findBslFiles(path.join(root, 'integrations'));
    expect(files.length).toBeGreaterThan(0);
    const { problems } = checkBslFiles(files) as { problems: Problem[] };
    expect(problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message} [${p.rule}]`)).toEqual([]);
  });

  it('npm run check:bsl exits 1 with file:line:col lines on the old modules, 0 on a clean one', () => {
    const script = path.join(root, 'scripts/bsl/checkBsl.js');
    const bad = spawnSync(process.execPath, [script, oldDir], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/^tests\/bsl\/fixtures\/old\/Беседа\.bsl:187:1: query: .* \[query-select-logical\]$/m);
    const good = spawnSync(process.execPath, [script, path.join(oldDir, 'ФормаЧата.bsl')], { encoding: 'utf8' });
    expect(good.stdout).toMatch(/: no problems$/m);
    expect(good.status).toBe(0);
  });
});

describe('the old modules are flagged for each known defect', () => {
  const { problems } = checkBslFiles(findBslFiles(oldDir)) as { problems: Problem[] };
  const at = (file: string, rule: string) =>
    problems.filter((p) => p.file.endsWith(file) && p.rule === rule).map((p) => `${p.line}:${p.col}`);

  it('syntax: they parse (the defects are not syntax errors)', () => {
    expect(problems.filter((p) => p.rule === 'syntax')).toEqual([]);
  });
  it('the query selects a logical expression (НЕ … И НЕ … КАК Активен)', () => {
    const source = readFileSync(path.join(oldDir, 'Беседа.bsl'), 'utf8').split('\n');
    expect(at('Беседа.bsl', 'query-select-logical')).toEqual(['187:1']);
    expect(source[186]).toContain('НЕ Пользователи.Недействителен И НЕ Пользователи.ПометкаУдаления КАК Активен');
  });
  it('Новый ЗащищенноеСоединениеOpenSSL() without certificates, twice', () => {
    expect(at('Беседа.bsl', 'openssl-no-ca')).toEqual(['290:26', '337:26']);
  });
  it('the token read from Константы.БеседаТокен, twice', () => {
    expect(at('Беседа.bsl', 'token-in-constant')).toEqual(['297:50', '345:50']);
  });
  it('ПрочитатьJSON without Истина', () => {
    expect(at('Беседа.bsl', 'readjson-map')).toEqual(['389:14']);
  });
  it('a «Вызов сервера» module exporting functions that take a login', () => {
    expect(at('Беседа.bsl', 'server-call-person')).toEqual(['151:1', '169:1', '217:1']);
  });
  it('the hub called from ОбработкаПроведения (through Беседа.ОтправитьСообщение)', () => {
    expect(at('ПримерыИспользования.bsl', 'http-in-transaction')).toEqual(['10:3']);
  });
  it('errors through ОписаниеОшибки()', () => {
    expect(at('Беседа.bsl', 'error-description')).toEqual(['201:58']);
    expect(at('ПримерыИспользования.bsl', 'error-description')).toEqual(['14:4']);
  });
});

describe('each pitfall rule fires on a bad sample and not on the fixed one', () => {
  it('query-select-logical: a comparison, И/ИЛИ/НЕ, В in the select list; not inside ВЫБОР КОГДА … ТОГДА', () => {
    const query = (item: string) =>
      inProc(
        `Запрос = Новый Запрос;\nЗапрос.Текст =\n"ВЫБРАТЬ\n|\tТ.Ссылка КАК Ссылка,\n|\t${item} КАК Флаг\n|ИЗ\n|\tСправочник.Т КАК Т";`,
      );
    expect(problemsOf(query('Т.Сумма > 0'))).toEqual(['6:1 query-select-logical']);
    expect(problemsOf(query('Т.А ИЛИ Т.Б'))).toEqual(['6:1 query-select-logical']);
    expect(problemsOf(query('Т.Вид В (&Виды)'))).toEqual(['6:1 query-select-logical']);
    expect(problemsOf(query('ВЫБОР КОГДА Т.Сумма > 0 И НЕ Т.ПометкаУдаления ТОГДА ИСТИНА ИНАЧЕ ЛОЖЬ КОНЕЦ'))).toEqual(
      [],
    );
    expect(problemsOf(query('ЕСТЬNULL(Т.Сумма, 0)'))).toEqual([]);
    // A query put together with «+» is one text; ГДЕ may hold conditions.
    const joined = inProc('Текст = "ВЫБРАТЬ Т.А = 1 КАК Б " + "ИЗ Справочник.Т КАК Т ГДЕ Т.А = 1";');
    expect(problemsOf(joined)).toEqual(['2:9 query-select-logical']);
    expect(problemsOf(inProc('Текст = "ВЫБРАТЬ Т.А КАК Б ИЗ Справочник.Т КАК Т ГДЕ НЕ Т.А = 1";'))).toEqual([]);
  });

  it('openssl-no-ca', () => {
    expect(problemsOf(inProc('С = Новый ЗащищенноеСоединениеOpenSSL();'))).toEqual(['2:5 openssl-no-ca']);
    expect(problemsOf(inProc('С = New OpenSSLSecureConnection(Сертификат);'))).toEqual(['2:5 openssl-no-ca']);
    expect(
      problemsOf(inProc('С = Новый ЗащищенноеСоединениеOpenSSL(, Новый СертификатыУдостоверяющихЦентровОС);')),
    ).toEqual([]);
  });

  it('token-in-constant', () => {
    expect(problemsOf(inProc('Т = Константы.ТокенБеседы.Получить();'))).toEqual(['2:5 token-in-constant']);
    expect(problemsOf(inProc('П = Constants.ServicePassword.Get();'))).toEqual(['2:5 token-in-constant']);
    expect(problemsOf(inProc('А = Константы.БеседаАдресСервера.Получить();'))).toEqual([]);
  });

  it('readjson-map', () => {
    expect(problemsOf(inProc('Р = ПрочитатьJSON(Чтение);'))).toEqual(['2:5 readjson-map']);
    expect(problemsOf(inProc('Р = ПрочитатьJSON(Чтение, Ложь);'))).toEqual(['2:5 readjson-map']);
    expect(problemsOf(inProc('Р = ПрочитатьJSON(Чтение, Истина);'))).toEqual([]);
  });

  it('http-in-transaction: directly, through a local function, through another module; a queue record is fine', () => {
    const hubModule = {
      file: 'ОбщиеМодули/Хаб.bsl',
      text: 'Функция Отправить(Текст) Экспорт\nС = Новый HTTPСоединение("хаб");\nВозврат С.ОтправитьДляОбработки(Новый HTTPЗапрос("/api/v1/messages"));\nКонецФункции\n',
    };
    const posting = (body: string) => `Процедура ОбработкаПроведения(Отказ, Режим)\n${body}\nКонецПроцедуры\n`;
    expect(problemsOf(posting('С = Новый HTTPСоединение("хаб");'))).toEqual(['2:5 http-in-transaction']);
    expect(problemsOf(posting('Хаб.Отправить("x");'), 'Документ.bsl', [hubModule])).toEqual([
      '2:1 http-in-transaction',
    ]);
    const local =
      'Процедура ПриЗаписи(Отказ)\nСообщить();\nКонецПроцедуры\nПроцедура Сообщить()\nХаб.Отправить("x");\nКонецПроцедуры\n';
    expect(problemsOf(local, 'Документ.bsl', [hubModule])).toEqual(['2:1 http-in-transaction']);
    const queue = {
      file: 'ОбщиеМодули/Очередь.bsl',
      text: 'Процедура Поставить(Ключ) Экспорт\nЗапись = 1;\nКонецПроцедуры\n',
    };
    expect(problemsOf(posting('Очередь.Поставить("k");'), 'Документ.bsl', [hubModule, queue])).toEqual([]);
    // An extension's handler: its name is free, its annotation says which event it follows.
    const extension =
      '&После("ОбработкаПроведения")\nПроцедура Расш_Проведение(Отказ, Режим)\nХаб.Отправить("x");\nКонецПроцедуры\n';
    expect(problemsOf(extension, 'Документ.bsl', [hubModule])).toEqual(['3:1 http-in-transaction']);
    // The same call outside the transaction's handlers is fine.
    expect(problemsOf('Процедура Отправить()\nХаб.Отправить("x");\nКонецПроцедуры\n', 'Док.bsl', [hubModule])).toEqual(
      [],
    );
  });

  it('server-call-person: read from the module header «флажки: …»', () => {
    const serverCall = '// Общий модуль «М» (флажки: Сервер, Вызов сервера).\n\n';
    const exported = 'Функция АдресЧата(Пользователь) Экспорт\nВозврат 1;\nКонецФункции\n';
    expect(problemsOf(serverCall + exported)).toEqual(['3:1 server-call-person']);
    expect(problemsOf(serverCall + exported.replace('Пользователь', 'ЛогинСотрудника'))).toEqual([
      '3:1 server-call-person',
    ]);
    expect(problemsOf(serverCall + exported.replace('(Пользователь)', '()'))).toEqual([]);
    expect(problemsOf(serverCall + exported.replace(' Экспорт', ''))).toEqual([]); // not callable from the client
    expect(problemsOf('// Общий модуль «М» (флажки: Сервер).\n\n' + exported)).toEqual([]);
    // The header as integrations/1c/Беседа writes it: the flags up to the first full stop.
    const header = (flags: string) => `// Общий модуль «М» расширения «Беседа».\n// ${flags}\n`;
    expect(problemsOf(header('Флажки: Сервер, Вызов сервера. НЕ «Привилегированный».') + exported)).toEqual([
      '3:1 server-call-person',
    ]);
    expect(problemsOf(header('Флажки: Сервер. НЕ «Вызов сервера», НЕ «Клиент».') + exported)).toEqual([]);
  });

  it('safe-storage-privileged', () => {
    const read = 'Т = ОбщегоНазначения.ПрочитатьДанныеИзБезопасногоХранилища(Владелец, "Токен");';
    expect(problemsOf(inProc(read))).toEqual(['2:5 safe-storage-privileged']);
    expect(
      problemsOf(inProc(`УстановитьПривилегированныйРежим(Истина);\n${read}\nУстановитьПривилегированныйРежим(Ложь);`)),
    ).toEqual([]);
  });

  it('error-description', () => {
    expect(problemsOf(inProc('Т = ОписаниеОшибки();'))).toEqual(['2:5 error-description']);
    expect(problemsOf(inProc('Т = ПодробноеПредставлениеОшибки(ИнформацияОбОшибке());'))).toEqual([]);
  });

  it('request-literal: a hub request whose path the checker cannot read', () => {
    const text =
      'Процедура Отправить(Адрес) Экспорт\nС = Новый HTTPСоединение("хаб");\nС.Получить(Новый HTTPЗапрос(Адрес));\nКонецПроцедуры\n' +
      'Процедура Снаружи() Экспорт\nОтправить(АдресAPI() + "/messages");\nКонецПроцедуры\n' +
      'Процедура Хорошо() Экспорт\nОтправить("/api/v1/messages");\nКонецПроцедуры\n';
    expect(problemsOf(text)).toEqual(['6:1 request-literal']);
  });
});

describe('the requests each procedure makes', () => {
  it('are followed through parameters, variables, defaults and the functions that build the connection and request', () => {
    const text = [
      'Функция Отправить(Кому, Текст, Ключ) Экспорт',
      '\tТело = Новый Структура("to", Кому);',
      '\tТело.Вставить("text", Текст);',
      '\tЕсли ЗначениеЗаполнено(Ключ) Тогда Тело.Вставить("clientId", Ключ); КонецЕсли;',
      '\tВозврат ВыполнитьЗапрос("POST", "/api/v1/messages", Тело, "Сообщения");',
      'КонецФункции',
      'Функция Сотрудник(Ид) Экспорт',
      '\tПуть = "/api/v1/users/by-external-id/" + КодироватьСтроку(Ид, СпособКодированияСтроки.КодировкаURL);',
      '\tВозврат ВыполнитьЗапрос("GET", Путь, Неопределено, "Справочник");',
      'КонецФункции',
      'Функция ВыполнитьЗапрос(Метод, Путь, Тело, Назначение = "Сообщения")',
      '\tСоединение = НовоеСоединение();',
      '\tВозврат Соединение.ВызватьHTTPМетод(Метод, НовыйЗапрос(Путь, Тело));',
      'КонецФункции',
      'Функция НовоеСоединение()',
      '\tВозврат Новый HTTPСоединение("хаб", 443, , , , 20, Новый ЗащищенноеСоединениеOpenSSL(, Новый СертификатыУдостоверяющихЦентровОС));',
      'КонецФункции',
      'Функция НовыйЗапрос(Адрес, Тело)',
      '\tЗапрос = Новый HTTPЗапрос(Адрес);',
      '\tВозврат Запрос;',
      'КонецФункции',
    ].join('\n');
    const { requests, problems } = checkBslSources([{ file: 'ОбщиеМодули/Хаб.bsl', text }]) as {
      requests: Record<string, unknown>[];
      problems: Problem[];
    };
    expect(problems).toEqual([]);
    expect(requests).toEqual([
      expect.objectContaining({
        module: 'Хаб',
        procedure: 'Отправить',
        method: 'POST',
        path: '/api/v1/messages',
        exact: true,
        bodyKeys: ['to', 'text', 'clientId'],
        args: ['POST', '/api/v1/messages', null, 'Сообщения'],
        line: 5,
      }),
      expect.objectContaining({
        procedure: 'Сотрудник',
        method: 'GET',
        path: '/api/v1/users/by-external-id/',
        exact: false,
        bodyKeys: [],
      }),
    ]);
  });
});
