import type { CliCommand, CliContext } from './CliCommand.ts';
import { printLine } from './cliText.ts';

// Names, descriptions and usage come from people: printed with control and bidi characters escaped.
const out = printLine;

const one = (values: CliContext['values'], name: string): string | undefined => {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
};

/** `beseda-hub command add|list|remove` (issue 18): slash commands IT registers, each answered by a bot. */
export const commandCommands: readonly CliCommand[] = [
  {
    words: ['command', 'add'],
    usage: '/NAME',
    summary: "Registers a slash command (e.g. /остаток) answered by a bot's callback URL.",
    options: {
      bot: { type: 'string', value: 'LOGIN', help: 'the bot that answers it (its callback URL is called)' },
      description: { type: 'string', value: 'TEXT', help: 'what it does, shown in the composer' },
      usage: { type: 'string', value: 'TEXT', help: 'what follows the name, e.g. "<артикул>"' },
    },
    async run({ positionals: [name], values, admin }) {
      const bot = one(values, 'bot');
      if (!name || !bot) {
        out('Usage: beseda-hub command add /NAME --bot LOGIN [--description TEXT] [--usage TEXT]');
        return 2;
      }
      const description = one(values, 'description');
      const usage = one(values, 'usage');
      const { command } = await admin('command.add', {
        name,
        bot,
        ...(description !== undefined ? { description } : {}),
        ...(usage !== undefined ? { usage } : {}),
      });
      out(`Registered ${command.name} (bot ${bot}).`);
      return 0;
    },
  },
  {
    words: ['command', 'list'],
    summary: 'Lists the slash commands and their bots.',
    options: {},
    async run({ admin }) {
      const [{ commands }, { bots }] = await Promise.all([admin('command.list', {}), admin('bot.list', {})]);
      const login = new Map(bots.map((b) => [b.id, b.login]));
      out(['COMMAND'.padEnd(20), 'BOT'.padEnd(16), 'USAGE'.padEnd(16), 'DESCRIPTION'].join(' '));
      for (const c of commands)
        out(
          [
            c.name.padEnd(20),
            (login.get(c.botId) ?? String(c.botId)).padEnd(16),
            c.usage.padEnd(16),
            c.description,
          ].join(' '),
        );
      out(`${commands.length} commands`);
      return 0;
    },
  },
  {
    words: ['command', 'remove'],
    usage: '/NAME',
    summary: 'Removes a slash command.',
    options: {},
    async run({ positionals: [name], admin }) {
      if (!name) {
        out('Usage: beseda-hub command remove /NAME');
        return 2;
      }
      await admin('command.remove', { name });
      out(`Removed ${name}.`);
      return 0;
    },
  },
];
