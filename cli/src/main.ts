import { COMMANDS, EXIT } from './commands';
import { err, out, UsageError } from './io';

const USAGE = `Usage: convhooks <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(9)} ${command.summary}`)
  .join('\n')}

Run 'convhooks <command> --help' for a command's options.`;

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    err(`convhooks: unknown command "${name}".\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (args.includes('--help') || args.includes('-h')) {
    out(command.help);
    return EXIT.ok;
  }
  try {
    return await command.run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      err(`convhooks ${name}: ${error.message}\nRun 'convhooks ${name} --help' for usage.`);
      return EXIT.usage;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      err(`convhooks ${name}: ${(error as Error).message}`);
      return EXIT.usage;
    }
    throw error;
  }
}
