import type { DirectoryEntry } from '../IntegrationTypes.ts';

/** A line's problem, numbered from 1 as an editor shows the file. */
export interface LineError {
  line: number;
  reason: string;
}

/** Header names (English, and Russian as 1C exports them) for each column. */
const columnNames: Record<string, keyof ColumnMap> = {
  login: 'login',
  логин: 'login',
  name: 'name',
  имя: 'name',
  фио: 'name',
  наименование: 'name',
  сотрудник: 'name',
  branch: 'branch',
  department: 'branch',
  филиал: 'branch',
  подразделение: 'branch',
  отдел: 'branch',
  email: 'email',
  'e-mail': 'email',
  почта: 'email',
  'электронная почта': 'email',
  position: 'position',
  title: 'position',
  должность: 'position',
  phone: 'phone',
  телефон: 'phone',
  'рабочий телефон': 'phone',
  active: 'active',
  активен: 'active',
  активный: 'active',
  действует: 'active',
};

interface ColumnMap {
  login?: number;
  name?: number;
  branch?: number;
  email?: number;
  position?: number;
  phone?: number;
  active?: number;
}

const yes = new Set(['1', 'true', 'yes', 'y', 'да', 'д', 'истина', '+']);
const no = new Set(['0', 'false', 'no', 'n', 'нет', 'н', 'ложь', '-']);

/**
 * Reads a user list: a header row (`login;name;branch;email;position;phone;active`, in any order, English or
 * Russian names; `login` and `name` required) and one person per row, separated by `;` (as 1C
 * and a Russian Excel export) or `,` — whichever the header uses. Fields may be quoted with `"`
 * (a doubled `""` inside is a quote) and may then hold separators and line breaks. An empty
 * `active` means active; a column that is absent leaves that field as it is for existing people.
 * Returns the entries with their line numbers and every problem found (a row's problems all at once).
 */
export function parseUserCsv(text: string): {
  entries: { line: number; entry: DirectoryEntry }[];
  errors: LineError[];
} {
  const entries: { line: number; entry: DirectoryEntry }[] = [];
  const errors: LineError[] = [];
  const source = text.replace(/^\uFEFF/, '');
  const firstLine = source.split(/\r?\n/, 1)[0] ?? '';
  const separator = count(firstLine, ';') >= count(firstLine, ',') && firstLine.includes(';') ? ';' : ',';
  const rows = splitRows(source, separator);
  const header = rows.find((r) => !isBlank(r.fields));
  if (!header) return { entries, errors: [{ line: 1, reason: 'the file is empty: a header row is expected' }] };

  const columns: ColumnMap = {};
  for (const [i, raw] of header.fields.entries()) {
    const name = raw.trim().toLowerCase().replace(/ё/g, 'е');
    const key = columnNames[name];
    if (!key) {
      errors.push({
        line: header.line,
        reason: `unknown column "${raw.trim()}" (expected login;name;branch;email;position;phone;active)`,
      });
      continue;
    }
    if (columns[key] !== undefined) errors.push({ line: header.line, reason: `column "${raw.trim()}" appears twice` });
    columns[key] = i;
  }
  if (columns.login === undefined) errors.push({ line: header.line, reason: 'the header has no "login" column' });
  if (columns.name === undefined) errors.push({ line: header.line, reason: 'the header has no "name" column' });
  if (errors.length > 0) return { entries, errors };

  for (const row of rows) {
    if (row === header || isBlank(row.fields)) continue;
    if (row.unterminated) {
      errors.push({ line: row.line, reason: 'a quoted field is not closed' });
      continue;
    }
    if (row.fields.length !== header.fields.length) {
      errors.push({
        line: row.line,
        reason: `expected ${header.fields.length} fields separated by "${separator}", found ${row.fields.length}`,
      });
      continue;
    }
    const at = (i: number | undefined) => (i === undefined ? undefined : row.fields[i]!.trim());
    const entry: DirectoryEntry = { login: at(columns.login)!, name: at(columns.name)! };
    if (columns.branch !== undefined) entry.branch = at(columns.branch) || null;
    if (columns.email !== undefined) entry.email = at(columns.email) || null;
    if (columns.position !== undefined) entry.position = at(columns.position) || null;
    if (columns.phone !== undefined) entry.phone = at(columns.phone) || null;
    const active = at(columns.active);
    if (active !== undefined) {
      const word = active.toLowerCase();
      if (word === '' || yes.has(word)) entry.active = true;
      else if (no.has(word)) entry.active = false;
      else {
        errors.push({ line: row.line, reason: `"active" is "${active.slice(0, 20)}": use 1/0, да/нет or true/false` });
        continue;
      }
    }
    entries.push({ line: row.line, entry });
  }
  return { entries, errors };
}

function count(s: string, c: string): number {
  return s.split(c).length - 1;
}

function isBlank(fields: string[]): boolean {
  return fields.every((f) => f.trim() === '');
}

/** Splits CSV text into rows of fields, remembering the line each row starts on. */
function splitRows(text: string, separator: string): { line: number; fields: string[]; unterminated: boolean }[] {
  const rows: { line: number; fields: string[]; unterminated: boolean }[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let unterminated = false;
    for (;;) {
      if (i >= text.length) {
        if (quoted) unterminated = true;
        break;
      }
      const c = text[i]!;
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (c === '"') {
          quoted = false;
          i++;
        } else {
          if (c === '\n') line++;
          field += c;
          i++;
        }
        continue;
      }
      if (c === '"' && field.trim() === '') {
        quoted = true;
        field = '';
        i++;
      } else if (c === separator) {
        fields.push(field);
        field = '';
        i++;
      } else if (c === '\r' || c === '\n') {
        i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        break;
      } else {
        field += c;
        i++;
      }
    }
    fields.push(field);
    rows.push({ line: start, fields, unterminated });
  }
  return rows;
}
