// The BSL checker's parser (scripts/bsl/parseBsl.js): each kind of syntax error 1C's own check
// would report is caught at its line and column, a broken procedure does not hide the next one,
// and valid code using the whole language parses clean.
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JS script without declarations.
import { parseBsl } from '../../scripts/bsl/parseBsl.js';

interface Diagnostic {
  line: number;
  col: number;
  message: string;
}

/** "line:col message" of each syntax error. */
function errorsOf(text: string): string[] {
  return (parseBsl(text).errors as Diagnostic[]).map((e) => `${e.line}:${e.col} ${e.message}`);
}

const proc = (body: string) => `Процедура Тест()\n${body}\nКонецПроцедуры\n`;

describe('syntax errors, each at its place', () => {
  const cases: [string, string, RegExp][] = [
    ['unclosed string', proc('А = "текст;'), /^2:5 string literal not closed/],
    ['continued line without |', proc('А = "ВЫБРАТЬ\n\tТ.Ссылка ИЗ Т";'), /^2:5 string literal not closed/],
    ['malformed date', proc("Д = '2025-13';"), /^2:5 malformed date literal/],
    ['unclosed date', proc("Д = '20250101;"), /^2:5 date literal not closed/],
    ['stray character', proc('А = 1 $ 2;'), /^2:7 unexpected character «\$»/],
    ['missing ; between statements', proc('А = 1\nБ = 2;'), /^3:1 expected «;» after the statement, found «Б»/],
    [
      'missing КонецЕсли',
      'Процедура Тест()\nЕсли А Тогда\nБ = 1;\n',
      /^4:1 expected ИначеЕсли or Иначе or КонецЕсли before the end of the file/,
    ],
    [
      'Если closed by КонецЦикла',
      proc('Если А Тогда\nБ = 1;\nКонецЦикла;'),
      /^4:1 unexpected «КонецЦикла»: expected a statement/,
    ],
    ['missing Тогда', proc('Если А = 1\nБ = 1;\nКонецЕсли;'), /^3:1 expected Тогда after the condition, found «Б»/],
    ['missing Цикл', proc('Пока А < 3\nА = А + 1;\nКонецЦикла;'), /^3:1 expected Цикл after the condition of Пока/],
    ['Для without По', proc('Для А = 1 До 3 Цикл\nКонецЦикла;'), /^2:11 expected По after the start value/],
    [
      'Для Каждого without Из',
      proc('Для Каждого А В Б Цикл\nКонецЦикла;'),
      /^2:15 expected Из after the loop variable/,
    ],
    ['Попытка without Исключение', proc('Попытка\nА = 1;\nКонецПопытки;'), /^4:1 unexpected «КонецПопытки»/],
    ['unbalanced parenthesis', proc('А = Мин(1, (2 + 3);'), /^2:19 expected «\)» closing the argument list, found «;»/],
    ['unclosed index', proc('А = Б[1;'), /^2:8 expected «\]» closing the index/],
    [
      'procedure ended by КонецФункции',
      'Процедура Тест()\nА = 1;\nКонецФункции\n',
      /^3:1 procedure Тест ends with «КонецФункции»/,
    ],
    ['Возврат with a value in a procedure', proc('Возврат 1;'), /^2:1 a procedure returns no value/],
    [
      'Возврат without a value in a function',
      'Функция Ф()\nВозврат;\nКонецФункции\n',
      /^2:1 a function returns a value/,
    ],
    ['Прервать outside a loop', proc('Прервать;'), /^2:1 «Прервать» outside a loop/],
    ['an expression is not a statement', proc('А + 1;'), /^2:3 expected «=» or «\(» after «А…»/],
    ['assigning to a call', proc('Ф() = 1;'), /^2:5 cannot assign to the result of a call/],
    [
      'ИначеЕсли after Иначе',
      proc('Если А Тогда\nИначе\nИначеЕсли Б Тогда\nКонецЕсли;'),
      /^4:1 unexpected «ИначеЕсли»: expected a statement/,
    ],
    [
      'unknown directive',
      '&НаКлентe\nПроцедура Тест()\nКонецПроцедуры\n',
      /^1:2 unknown compilation directive &НаКлентe/,
    ],
    ['non-literal default', 'Процедура Тест(А = Б)\nКонецПроцедуры\n', /^1:20 a default value is a literal/],
    ['duplicate parameter', 'Процедура Тест(А, а)\nКонецПроцедуры\n', /^1:19 parameter а is declared twice/],
    ['Перем after statements', proc('А = 1;\nПерем Б;'), /^3:1 Перем must come before the statements/],
    [
      '?() with two arguments',
      proc('А = ?(Б, 1);'),
      /^2:5 \?\(Условие, ЗначениеЕслиИстина, ЗначениеЕслиЛожь\) takes three arguments/,
    ],
    ['#Область not closed', '#Область Интерфейс\n' + proc('А = 1;'), /^1:1 #Область is not closed/],
    [
      '#КонецОбласти without #Область',
      proc('А = 1;') + '#КонецОбласти\n',
      /^4:1 #КонецОбласти without an opening line/,
    ],
    ['#КонецЕсли closing #Область', '#Область А\n#КонецЕсли\n', /^2:1 #КонецЕсли closes #Область of line 1/],
    ['#Если without Тогда', '#Если Сервер\n#КонецЕсли\n', /^1:1 #Если … ends with Тогда/],
    ['Процедура after the module body', 'А = 1;\nПроцедура Тест()\nКонецПроцедуры\n', /^2:1 unexpected «Процедура»/],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    const errors = errorsOf(text);
    expect(errors.length, errors.join('\n')).toBeGreaterThan(0);
    expect(errors[0]).toMatch(expected);
  });

  it('goes on after a broken procedure: each is reported', () => {
    const text = proc('А = 1\nБ = 2;') + 'Функция Ф()\nВозврат;\nКонецФункции\n' + proc('В = (1;');
    expect(errorsOf(text).map((e) => e.split(' ')[0])).toEqual(['3:1', '6:1', '9:7']);
    expect(parseBsl(text).module.procedures).toHaveLength(0);
  });
});

describe('valid 1C parses clean', () => {
  it('a module with the whole language', () => {
    const text = [
      '\uFEFF// Общий модуль «Пример» (флажки: Сервер).',
      '#Если Сервер Или ТолстыйКлиентОбычноеПриложение Или ВнешнееСоединение Тогда',
      '#Область ПрограммныйИнтерфейс',
      'Перем КэшМодуля Экспорт;',
      '',
      'Функция Сумма(Знач А, Б = 0, В = "", Г = Неопределено, Д = -1, Е = \'00010101\', Ж = Истина) Экспорт',
      '\tПерем Итог, Промежуточный;',
      '\tИтог = ?(А > Б, А, Б) + Д * 2 - (В <> "" И НЕ Ж) % 3;',
      '\tЗапрос = Новый Запрос;',
      '\tЗапрос.Текст =',
      '\t"ВЫБРАТЬ',
      '\t|\tТ.Ссылка КАК Ссылка,',
      '\t//|\tТ.Удалённое КАК Удалённое,',
      '\t|\tВЫБОР КОГДА Т.Сумма > 0 И НЕ Т.ПометкаУдаления ТОГДА ИСТИНА ИНАЧЕ ЛОЖЬ КОНЕЦ КАК Активен,',
      '\t|\t""Текст с """"кавычками"""""" КАК Надпись',
      '\t|ИЗ',
      '\t|\tСправочник.Т КАК Т";',
      '\tДля Каждого Стр Из Запрос.Выполнить().Выгрузить() Цикл',
      '\t\tЕсли Стр.Активен Тогда Продолжить; ИначеЕсли Стр.Сумма = 0 Тогда Прервать; Иначе Итог = Итог + 1 КонецЕсли;',
      '\tКонецЦикла;',
      '\tДля Н = 1 По 10 Цикл Пока Ложь Цикл КонецЦикла; КонецЦикла;',
      '\tПопытка',
      '\t\tС = Новый HTTPСоединение("хаб", 443, , , , 20, Новый ЗащищенноеСоединениеOpenSSL(, Новый СертификатыУдостоверяющихЦентровОС));',
      '\t\tМ = Новый("Массив"); М.Добавить(\'20250701120000\'); М[0] = NULL;',
      '\tИсключение',
      '\t\tВызватьИсключение;',
      '\tКонецПопытки;',
      '\t~Метка: Итог = Итог;',
      '\tЕсли Итог < 0 Тогда Перейти ~Метка; КонецЕсли;',
      '\tВызватьИсключение("Текст", КатегорияОшибки.ОшибкаКонфигурации);',
      '\tВозврат Итог',
      'КонецФункции',
      '',
      '#КонецОбласти',
      '#КонецЕсли',
      '',
      '&НаКлиенте',
      'Асинх Процедура Открыть(Команда)',
      '\tОтвет = Ждать ВопросАсинх("Да?", РежимДиалогаВопрос.ДаНет);',
      '\tДобавитьОбработчик Объект.Событие, ОбработчикСобытия;',
      'КонецПроцедуры',
      '',
      '&Перед("ОбработкаПроведения")',
      'Процедура Расш_ОбработкаПроведения(Отказ, РежимПроведения)',
      '#Вставка',
      '\tБеседаОчередь.ПоставитьВОчередь("k", "ext:1", "т", Ссылка);',
      '#КонецВставки',
      'КонецПроцедуры',
      '',
      'КэшМодуля = Новый Соответствие;',
    ].join('\r\n');
    expect(errorsOf(text)).toEqual([]);
    const { module } = parseBsl(text);
    expect(module.procedures.map((p: { name: string }) => p.name)).toEqual([
      'Сумма',
      'Открыть',
      'Расш_ОбработкаПроведения',
    ]);
    expect(module.header[0]).toBe('Общий модуль «Пример» (флажки: Сервер).');
  });

  it('English keywords, any letter case', () => {
    const text = [
      'procedure Test() export',
      '\tIF a = 1 THEN b = 2; ELSIF Not c THEN b = 3; ELSE b = 4; ENDIF;',
      '\tfor each x in y do continue; enddo;',
      '\tWhile TRUE Do Break; EndDo;',
      '\tTry Raise "x"; Except x = ErrorDescription(); EndTry;',
      'EndProcedure',
      'ФУНКЦИЯ Ф() ВОЗВРАТ НОВЫЙ Массив; конецфункции',
    ].join('\n');
    expect(errorsOf(text)).toEqual([]);
  });
});
